import { ApiError, describeError } from '../app/api-client.ts';
import { h } from '../app/dom.ts';
import { getLanguage } from '../app/i18n.ts';
import { adminApi, type CalendarDay } from './admin-api.ts';
import { at } from './admin-messages.ts';
import { actionButton, actionForm, dataTable, forget, formatDay, inputField, loadFailure, rerender, sectionHeader, textValue, type Section, type SectionContext } from './admin-ui.ts';

/** Today in Asia/Ho_Chi_Minh, YYYY-MM-DD. */
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

/** The holiday calendar: list, add a holiday or a make-up working day, remove one. */
export function createCalendarSection(context: SectionContext): Section {
  const element = h('section', { className: 'admin-section', 'data-section': 'calendar', 'aria-labelledby': 'admin-calendar-heading' });
  let days: CalendarDay[] | undefined;
  let loadError: unknown;
  let listError: unknown;

  const reload = async () => {
    try {
      days = (await adminApi.calendar()).sort((a, b) => a.day.localeCompare(b.day));
      loadError = undefined;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return context.sessionEnded();
      loadError = error;
    }
    render();
  };

  const name = (day: CalendarDay) => (getLanguage() === 'en' && day.nameEn ? day.nameEn : day.nameVi);

  const table = (list: CalendarDay[], caption: string) =>
    dataTable({
      className: 'admin-calendar-table',
      caption,
      headers: [at('cal.day'), at('cal.kind'), at('cal.nameVi').replace(/\s*\(.*\)$/, ''), at('actions')],
      rows: list.map((day) => ({
        attributes: { 'data-day': day.day, 'data-kind': day.kind },
        cells: [
          h('span', {}, h('strong', {}, formatDay(day.day)), h('br'), h('code', { className: 'muted' }, day.day)),
          h('span', { className: `admin-kind is-${day.kind}` }, at(`cal.${day.kind}`)),
          name(day),
          actionButton({
            label: at('cal.remove'),
            ariaLabel: at('cal.removeLabel', { day: day.day }),
            className: 'secondary-button admin-danger',
            confirm: () => at('cal.confirmRemove', { day: day.day, name: name(day) }),
            run: async () => {
              await adminApi.removeDay(day.day);
              listError = undefined;
              context.notify(() => at('cal.removed', { day: day.day }));
              await reload();
            },
            onError: (error) => {
              if (error instanceof ApiError && error.status === 401) return context.sessionEnded();
              listError = error;
              render();
            },
          }),
        ],
      })),
    });

  const addForm = () => {
    const day = inputField({ id: 'admin-calendar-day', name: 'day', label: at('cal.day'), type: 'date', required: true, pattern: '\\d{4}-\\d{2}-\\d{2}', hint: at('cal.dayHint') });
    const kindName = 'kind';
    const radio = (value: CalendarDay['kind'], checked: boolean) =>
      h('div', { className: 'admin-check' }, h('input', { type: 'radio', id: `admin-calendar-kind-${value}`, name: kindName, value, checked, required: true }), h('label', { for: `admin-calendar-kind-${value}` }, at(`cal.${value}`)));
    const kind = h('fieldset', { className: 'admin-fieldset' }, h('legend', {}, at('cal.kind')), radio('holiday', true), radio('working_day', false), h('p', { className: 'muted admin-hint' }, at('cal.workingDayExplain')));
    const nameVi = inputField({ id: 'admin-calendar-name-vi', name: 'nameVi', label: at('cal.nameVi'), required: true, maxlength: 200 });
    const nameEn = inputField({ id: 'admin-calendar-name-en', name: 'nameEn', label: at('cal.nameEn'), maxlength: 200 });
    return actionForm({
      id: 'admin-calendar-new',
      title: at('cal.add'),
      className: 'admin-card',
      children: [day.wrapper, kind, nameVi.wrapper, nameEn.wrapper],
      submitLabel: at('cal.add'),
      context,
      onSubmit: async (form) => {
        const value = day.input.value.trim();
        const chosen = form.querySelector<HTMLInputElement>(`input[name="${kindName}"]:checked`)?.value as CalendarDay['kind'];
        await adminApi.saveDay(value, { kind: chosen, nameVi: nameVi.input.value.trim(), nameEn: textValue(form, 'nameEn') });
        forget(form);
        await reload();
        return () => at('cal.added', { day: value });
      },
    });
  };

  function render(): void {
    let body: Node;
    if (loadError !== undefined) body = loadFailure(loadError, () => void reload());
    else if (!days) body = h('p', { className: 'muted' }, at('loading'));
    else {
      const now = today();
      const upcoming = days.filter((day) => day.day >= now);
      const past = days.filter((day) => day.day < now).reverse();
      body = h(
        'div',
        { className: 'admin-list' },
        listError !== undefined ? h('p', { className: 'error admin-list-error', role: 'alert' }, `${at('refusedTitle')} ${describeError(listError)}`) : null,
        days.length === 0 ? h('p', {}, at('cal.empty')) : null,
        upcoming.length ? [h('h3', {}, `${at('cal.upcoming')} · ${at('cal.count', { count: upcoming.length })}`), table(upcoming, at('cal.upcoming'))] : null,
        past.length ? h('details', { className: 'admin-past' }, h('summary', {}, `${at('cal.past')} · ${at('cal.count', { count: past.length })}`), table(past, at('cal.past'))) : null,
      );
    }
    rerender(element, [
      sectionHeader(at('cal.title'), at('cal.intro')),
      h('div', { className: 'admin-columns' }, h('div', { className: 'admin-main-column' }, body), h('div', { className: 'admin-side-column' }, addForm())),
    ]);
    element.querySelector('h2')?.setAttribute('id', 'admin-calendar-heading');
  }

  return { element, render, load: reload };
}
