import { ApiError } from '../app/api-client.ts';
import { h } from '../app/dom.ts';
import { getLanguage } from '../app/i18n.ts';
import { adminApi, priorityCodes, type Category, type Office, type PriorityCode } from './admin-api.ts';
import { at } from './admin-messages.ts';
import { actionForm, checkboxField, dataTable, formatWorkingMinutes, inputField, loadFailure, rerender, sectionHeader, selectField, textareaField, textValue, workingTimeField, type Section, type SectionContext } from './admin-ui.ts';

/** The schema's limits (api/src/modules/admin/admin.schema.ts). */
const codePattern = '[a-z][a-z0-9_]{1,40}';
const maxAcknowledgeMinutes = 60 * 24 * 60;
const maxResolveMinutes = 60 * 24 * 365;

const priorityLabel = (code: string) => at(`prio.${code as PriorityCode}`);
const responsibleLabel = (code: string) => (code === 'commune_committee' ? at('cat.commune_committee') : at('cat.responsibility', { code }));

/** Categories with their deadlines; create and edit (PUT /api/admin/categories/:code). */
export function createCategoriesSection(context: SectionContext): Section {
  const element = h('section', { className: 'admin-section', 'data-section': 'categories', 'aria-labelledby': 'admin-categories-heading' });
  let categories: Category[] | undefined;
  let offices: Office[] = [];
  let loadError: unknown;
  /** The code being edited, '' for a new category, undefined when no form is open. */
  let editing: string | undefined;

  const reload = async () => {
    try {
      [categories, offices] = await Promise.all([adminApi.categories(), offices.length ? Promise.resolve(offices) : adminApi.offices()]);
      loadError = undefined;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return context.sessionEnded();
      loadError = error;
    }
    render();
  };

  /** commune_committee, the responsibilities offices have, and those categories already use. */
  const responsibilities = () => {
    const codes = new Set<string>();
    for (const office of offices) for (const code of office.responsibilities ?? []) codes.add(code);
    for (const category of categories ?? []) if (category.responsible !== 'commune_committee') codes.add(category.responsible);
    return ['commune_committee', ...[...codes].sort()];
  };

  const open = (code: string) => {
    editing = code;
    render();
    element.querySelector<HTMLElement>('.admin-category-form h3')?.focus();
  };

  const row = (category: Category) => {
    const edit = h('button', { type: 'button', className: 'secondary-button', 'aria-label': `${at('edit')}: ${category.code}` }, at('edit'));
    edit.addEventListener('click', () => open(category.code));
    const name = getLanguage() === 'vi' ? category.nameVi : category.nameEn;
    return {
      attributes: { 'data-code': category.code, className: category.active ? '' : 'is-inactive' },
      cells: [
        h('span', {}, h('strong', {}, name), h('br'), h('code', { className: 'muted' }, category.code)),
        h('span', { className: 'admin-deadline', 'data-minutes': category.acknowledgeWorkingMinutes }, formatWorkingMinutes(category.acknowledgeWorkingMinutes)),
        h('span', { className: 'admin-deadline', 'data-minutes': category.resolveWorkingMinutes ?? '' }, category.resolveWorkingMinutes === null ? h('span', { className: 'muted' }, at('cat.byPriority')) : formatWorkingMinutes(category.resolveWorkingMinutes)),
        responsibleLabel(category.responsible),
        priorityLabel(category.defaultPriority),
        h('span', { className: category.active ? 'admin-state is-on' : 'admin-state is-off' }, category.active ? at('yes') : at('no')),
        String(category.sortOrder),
        edit,
      ],
    };
  };

  const form = (category: Category | undefined) => {
    const creating = !category;
    const id = 'admin-category-form';
    const code = inputField({ id: `${id}-code`, name: 'code', label: at('cat.code'), value: category?.code, required: true, pattern: codePattern, maxlength: 41, hint: at('cat.codeHint'), disabled: !creating });
    const nameVi = inputField({ id: `${id}-name-vi`, name: 'nameVi', label: at('cat.nameVi'), value: category?.nameVi, required: true, maxlength: 200 });
    const nameEn = inputField({ id: `${id}-name-en`, name: 'nameEn', label: at('cat.nameEn'), value: category?.nameEn, required: true, maxlength: 200 });
    const descriptionVi = textareaField({ id: `${id}-description-vi`, name: 'descriptionVi', label: at('cat.descriptionVi'), value: category?.descriptionVi, maxlength: 1000 });
    const descriptionEn = textareaField({ id: `${id}-description-en`, name: 'descriptionEn', label: at('cat.descriptionEn'), value: category?.descriptionEn, maxlength: 1000 });
    const responsible = selectField({ id: `${id}-responsible`, name: 'responsible', label: at('cat.responsible'), value: category?.responsible ?? 'commune_committee', required: true, hint: at('cat.responsibleHint'), options: responsibilities().map((value) => [value, responsibleLabel(value)] as const) });
    const priority = selectField({ id: `${id}-priority`, name: 'defaultPriority', label: at('cat.defaultPriority'), value: category?.defaultPriority ?? 'normal', required: true, options: priorityCodes.map((value) => [value, priorityLabel(value)] as const) });
    const acknowledge = workingTimeField({ id: `${id}-acknowledge`, label: at('cat.acknowledge'), minutes: category?.acknowledgeWorkingMinutes ?? 480, required: true, maxMinutes: maxAcknowledgeMinutes });
    const resolve = workingTimeField({ id: `${id}-resolve`, label: at('cat.resolve'), minutes: category?.resolveWorkingMinutes ?? null, required: false, maxMinutes: maxResolveMinutes, hint: at('cat.resolveHint') });
    const active = checkboxField({ id: `${id}-active`, name: 'active', label: at('cat.active'), checked: category?.active ?? true });
    const order = inputField({ id: `${id}-order`, name: 'sortOrder', label: at('cat.sortOrder'), type: 'number', value: category?.sortOrder ?? (categories?.length ?? 0) * 10, required: true, min: 0, max: 100_000, step: 1 });
    const cancel = h('button', { type: 'button', className: 'secondary-button' }, at('cancel'));
    cancel.addEventListener('click', () => {
      editing = undefined;
      render();
    });
    return actionForm({
      id: creating ? `${id}-new` : `${id}-${category.code}`,
      title: creating ? at('cat.create') : at('cat.editTitle', { code: category.code }),
      className: 'admin-card admin-category-form',
      children: [
        code.wrapper,
        h('div', { className: 'admin-pair' }, nameVi.wrapper, nameEn.wrapper),
        h('div', { className: 'admin-pair' }, descriptionVi.wrapper, descriptionEn.wrapper),
        h('div', { className: 'admin-pair' }, responsible.wrapper, priority.wrapper),
        acknowledge.wrapper,
        resolve.wrapper,
        h('div', { className: 'admin-pair' }, order.wrapper, active.wrapper),
      ],
      submitLabel: at('save'),
      extraButtons: [cancel],
      context,
      onSubmit: async (element) => {
        const target = creating ? code.input.value.trim() : category.code;
        await adminApi.saveCategory(target, {
          nameVi: nameVi.input.value.trim(),
          nameEn: nameEn.input.value.trim(),
          descriptionVi: textValue(element, 'descriptionVi'),
          descriptionEn: textValue(element, 'descriptionEn'),
          responsible: responsible.input.value,
          defaultPriority: priority.input.value as PriorityCode,
          acknowledgeWorkingMinutes: acknowledge.minutes() as number,
          resolveWorkingMinutes: resolve.minutes(),
          active: active.input.checked,
          sortOrder: Number(order.input.value),
        });
        editing = undefined;
        await reload();
        return () => at('cat.saved', { code: target });
      },
    });
  };

  function render(): void {
    const addButton = h('button', { type: 'button', className: 'primary-button admin-add' }, at('cat.create'));
    addButton.addEventListener('click', () => open(''));
    let body: Node;
    if (loadError !== undefined) body = loadFailure(loadError, () => void reload());
    else if (!categories) body = h('p', { className: 'muted' }, at('loading'));
    else
      body = h(
        'div',
        { className: 'admin-list' },
        categories.length === 0
          ? h('p', {}, at('cat.empty'))
          : dataTable({
              className: 'admin-categories-table',
              caption: at('cat.title'),
              headers: [at('cat.nameVi').replace(/\s*\(.*\)$/, ''), at('cat.acknowledge'), at('cat.resolve'), at('cat.responsible'), at('cat.defaultPriority'), at('cat.activeShort'), at('cat.sortOrder'), at('actions')],
              rows: categories.map(row),
            }),
      );
    const edited = editing === undefined ? undefined : editing === '' ? null : categories?.find((category) => category.code === editing);
    rerender(element, [
      sectionHeader(at('cat.title'), at('cat.intro'), editing === undefined ? addButton : null),
      edited !== undefined ? form(edited ?? undefined) : null,
      body,
    ]);
    element.querySelector('h2')?.setAttribute('id', 'admin-categories-heading');
  }

  return { element, render, load: reload };
}

/** Priorities: the resolve deadline of urgent / normal / complex. */
export function createPrioritiesSection(context: SectionContext): Section {
  const element = h('section', { className: 'admin-section', 'data-section': 'priorities', 'aria-labelledby': 'admin-priorities-heading' });
  let priorities: { code: PriorityCode; resolveWorkingMinutes: number }[] | undefined;
  let loadError: unknown;

  const reload = async () => {
    try {
      priorities = await adminApi.priorities();
      loadError = undefined;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return context.sessionEnded();
      loadError = error;
    }
    render();
  };

  const form = (priority: { code: PriorityCode; resolveWorkingMinutes: number }) => {
    const deadline = workingTimeField({ id: `admin-priority-${priority.code}-minutes`, label: at('cat.resolve'), minutes: priority.resolveWorkingMinutes, required: true, maxMinutes: maxResolveMinutes });
    return actionForm({
      id: `admin-priority-${priority.code}`,
      title: priorityLabel(priority.code),
      className: 'admin-card admin-priority',
      children: [h('p', { className: 'muted' }, at('prio.current', { value: formatWorkingMinutes(priority.resolveWorkingMinutes) })), deadline.wrapper],
      submitLabel: at('save'),
      context,
      onSubmit: async () => {
        await adminApi.savePriority(priority.code, deadline.minutes() as number);
        await reload();
        return () => at('prio.saved', { name: priorityLabel(priority.code) });
      },
    });
  };

  function render(): void {
    const body = loadError !== undefined ? loadFailure(loadError, () => void reload()) : !priorities ? h('p', { className: 'muted' }, at('loading')) : h('div', { className: 'admin-grid' }, priorities.map(form));
    rerender(element, [sectionHeader(at('prio.title'), at('prio.intro')), body]);
    element.querySelector('h2')?.setAttribute('id', 'admin-priorities-heading');
  }

  return { element, render, load: reload };
}
