import { ApiError, describeError } from '../app/api-client.ts';
import { h, replaceChildren } from '../app/dom.ts';
import { getLanguage } from '../app/i18n.ts';
import { at } from './admin-messages.ts';

type Child = Node | string | null | undefined | false;
type Attributes = Record<string, string | boolean | number | undefined | null>;

/** What every section gets from the console. */
export interface SectionContext {
  /** A short confirmation (re-translated when the language changes), also announced. */
  notify(message: () => string): void;
  /** The session ended (401): back to the sign-in form. */
  sessionEnded(): void;
  /** The signed-in admin's id (they cannot deactivate themselves). */
  userId: string;
}

export interface Section {
  readonly element: HTMLElement;
  /** Rebuilds the section from its state (language change), keeping what was typed. */
  render(): void;
  /** Loads the section's data, then renders it. */
  load(): Promise<void>;
}

export interface FieldOptions {
  id: string;
  name: string;
  label: string;
  type?: string;
  value?: string | number | null;
  required?: boolean;
  minlength?: number;
  maxlength?: number;
  pattern?: string;
  min?: number;
  max?: number;
  step?: number | string;
  hint?: string;
  autocomplete?: string;
  placeholder?: string;
  inputmode?: string;
  disabled?: boolean;
  /** false: no "(optional)" after the label (filters; a field whose hint says when it is required). */
  optionalMark?: boolean;
}

function labelFor(options: { id: string; label: string; required?: boolean; optionalMark?: boolean }): HTMLLabelElement {
  return h('label', { for: options.id }, options.label, options.required || options.optionalMark === false ? null : h('span', { className: 'admin-optional' }, ` ${at('optional')}`));
}

function hintFor(options: { id: string; hint?: string }): HTMLElement | null {
  return options.hint ? h('p', { className: 'muted admin-hint', id: `${options.id}-hint` }, options.hint) : null;
}

/** A labelled input whose attributes mirror the API's zod schema. */
export function inputField(options: FieldOptions): { wrapper: HTMLElement; input: HTMLInputElement } {
  const input = h('input', {
    id: options.id,
    name: options.name,
    type: options.type ?? 'text',
    value: options.value === null || options.value === undefined ? undefined : String(options.value),
    required: options.required,
    minlength: options.minlength,
    maxlength: options.maxlength,
    pattern: options.pattern,
    min: options.min,
    max: options.max,
    step: options.step,
    autocomplete: options.autocomplete ?? 'off',
    placeholder: options.placeholder,
    inputmode: options.inputmode,
    disabled: options.disabled,
    'aria-describedby': options.hint ? `${options.id}-hint` : undefined,
  });
  return { wrapper: h('div', { className: 'admin-field' }, labelFor(options), input, hintFor(options)), input };
}

export function textareaField(options: FieldOptions): { wrapper: HTMLElement; input: HTMLTextAreaElement } {
  const input = h('textarea', { id: options.id, name: options.name, required: options.required, maxlength: options.maxlength, minlength: options.minlength, rows: 2, 'aria-describedby': options.hint ? `${options.id}-hint` : undefined });
  input.value = options.value === null || options.value === undefined ? '' : String(options.value);
  input.defaultValue = input.value;
  return { wrapper: h('div', { className: 'admin-field' }, labelFor(options), input, hintFor(options)), input };
}

export function selectField(options: FieldOptions & { options: readonly (readonly [string, string])[] }): { wrapper: HTMLElement; input: HTMLSelectElement } {
  const value = options.value === null || options.value === undefined ? '' : String(options.value);
  const input = h(
    'select',
    { id: options.id, name: options.name, required: options.required, disabled: options.disabled, 'aria-describedby': options.hint ? `${options.id}-hint` : undefined },
    options.options.map(([optionValue, text]) => h('option', { value: optionValue, selected: optionValue === value }, text)),
  );
  return { wrapper: h('div', { className: 'admin-field' }, labelFor(options), input, hintFor(options)), input };
}

export function checkboxField(options: { id: string; name: string; label: string; checked: boolean; hint?: string }): { wrapper: HTMLElement; input: HTMLInputElement } {
  const input = h('input', { type: 'checkbox', id: options.id, name: options.name, checked: options.checked, 'aria-describedby': options.hint ? `${options.id}-hint` : undefined });
  return { wrapper: h('div', { className: 'admin-field admin-check' }, input, h('label', { for: options.id }, options.label), hintFor(options)), input };
}

/** A failed submission's error, kept on its form so a language change shows it again. */
const failures = new WeakMap<HTMLFormElement, unknown>();

export interface ActionFormOptions {
  id: string;
  title?: string;
  className?: string;
  children: Child[];
  submitLabel: string;
  /** Extra buttons after the submit button (e.g. Cancel). */
  extraButtons?: Child[];
  context: SectionContext;
  /** Sends the form; answers the confirmation to show, or nothing. Throws what the API answered. */
  onSubmit(form: HTMLFormElement): Promise<(() => string) | void>;
}

/**
 * A form of the console: the browser checks the schema's rules first (required, lengths, pattern),
 * the API checks them again; when it refuses, its message (messageVi in Vietnamese) stays next to
 * the form, with what was typed. While it is sent, the button is disabled and says "Saving…".
 */
export function actionForm(options: ActionFormOptions): HTMLFormElement {
  const errorId = `${options.id}-error`;
  const error = h('p', { className: 'error admin-form-error', id: errorId, role: 'alert' });
  const submit = h('button', { type: 'submit', className: 'primary-button' }, options.submitLabel);
  const form = h(
    'form',
    { id: options.id, className: `admin-form ${options.className ?? ''}`, 'aria-labelledby': options.title ? `${options.id}-title` : undefined, 'aria-describedby': errorId },
    options.title ? h('h3', { id: `${options.id}-title`, tabindex: -1 }, options.title) : null,
    ...options.children,
    error,
    h('div', { className: 'admin-buttons' }, submit, ...(options.extraButtons ?? [])),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    error.textContent = '';
    failures.delete(form);
    submit.disabled = true;
    form.setAttribute('aria-busy', 'true');
    submit.textContent = at('saving');
    try {
      const confirmation = await options.onSubmit(form);
      if (confirmation) options.context.notify(confirmation);
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 401) return options.context.sessionEnded();
      failures.set(form, failure);
      error.textContent = `${at('refusedTitle')} ${describeError(failure)}`;
      form.dataset.refused = 'true';
    } finally {
      submit.disabled = false;
      form.removeAttribute('aria-busy');
      submit.textContent = options.submitLabel;
    }
  });
  return form;
}

/** A button that runs an action, disabled while it runs. Errors go to `onError`. */
export function actionButton(options: { label: string; ariaLabel?: string; className?: string; confirm?: () => string; run(): Promise<void>; onError(error: unknown): void }): HTMLButtonElement {
  const button = h('button', { type: 'button', className: options.className ?? 'secondary-button', 'aria-label': options.ariaLabel }, options.label);
  button.addEventListener('click', async () => {
    if (options.confirm && !window.confirm(options.confirm())) return;
    button.disabled = true;
    button.textContent = at('saving');
    try {
      await options.run();
    } catch (error) {
      options.onError(error);
    } finally {
      button.disabled = false;
      button.textContent = options.label;
    }
  });
  return button;
}

interface FormSnapshot {
  values: Record<string, string | boolean>;
  failure: unknown;
  refused: boolean;
}

/** What was typed in the container's forms (by form id), and which field has the focus. */
function snapshot(container: HTMLElement): { forms: Map<string, FormSnapshot>; focusId: string | undefined } {
  const forms = new Map<string, FormSnapshot>();
  for (const form of container.querySelectorAll('form')) {
    if (!form.id) continue;
    const values: Record<string, string | boolean> = {};
    for (const element of Array.from(form.elements)) {
      if (!(element instanceof HTMLInputElement || element instanceof HTMLSelectElement || element instanceof HTMLTextAreaElement) || !element.id) continue;
      // Only what the person changed: the rest comes from the fresh data.
      if (element instanceof HTMLInputElement && (element.type === 'checkbox' || element.type === 'radio')) {
        if (element.checked !== element.defaultChecked) values[element.id] = element.checked;
      } else if (element instanceof HTMLSelectElement) {
        const initial = Array.from(element.options).find((option) => option.defaultSelected)?.value ?? element.options[0]?.value ?? '';
        if (element.value !== initial) values[element.id] = element.value;
      } else if (element.value !== element.defaultValue) values[element.id] = element.value;
    }
    forms.set(form.id, { values, failure: failures.get(form), refused: form.dataset.refused === 'true' });
  }
  const active = document.activeElement;
  return { forms, focusId: active instanceof HTMLElement && container.contains(active) && active.id ? active.id : undefined };
}

function restore(container: HTMLElement, saved: ReturnType<typeof snapshot>): void {
  for (const [id, state] of saved.forms) {
    const form = container.querySelector<HTMLFormElement>(`form[id="${CSS.escape(id)}"]`);
    if (!form) continue;
    for (const [elementId, value] of Object.entries(state.values)) {
      const element = form.querySelector<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(`[id="${CSS.escape(elementId)}"]`);
      if (!element) continue;
      if (typeof value === 'boolean' && element instanceof HTMLInputElement) element.checked = value;
      else if (typeof value === 'string') element.value = value;
      element.dispatchEvent(new Event('change'));
    }
    if (state.failure !== undefined) {
      failures.set(form, state.failure);
      form.dataset.refused = 'true';
      const error = form.querySelector('.admin-form-error');
      if (error) error.textContent = `${at('refusedTitle')} ${describeError(state.failure)}`;
    }
  }
  if (saved.focusId) document.getElementById(saved.focusId)?.focus();
}

/** Re-renders a container, keeping what was typed in its forms, their refusals and the focus. */
export function rerender(container: HTMLElement, children: Child[]): void {
  const saved = snapshot(container);
  replaceChildren(container, children);
  restore(container, saved);
}

/** Forgets what was typed in a form (after it was saved): the next render starts empty. */
export function forget(form: HTMLFormElement): void {
  form.reset();
  delete form.dataset.refused;
}

/** A load failure: the API's message and a button to try again. */
export function loadFailure(error: unknown, retry: () => void): HTMLElement {
  const button = h('button', { type: 'button', className: 'secondary-button' }, at('retry'));
  button.addEventListener('click', retry);
  return h('div', { className: 'admin-load-failure' }, h('p', { className: 'error', role: 'alert' }, at('loadFailed', { message: describeError(error) })), button);
}

export const locale = () => (getLanguage() === 'vi' ? 'vi-VN' : 'en-GB');

export function formatInstant(iso: string): string {
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'short', timeStyle: 'short', timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date(iso));
}

export function formatDay(day: string): string {
  return new Intl.DateTimeFormat(locale(), { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
}

/** "8 giờ làm việc", "90 phút làm việc", "1 giờ 30 phút làm việc". */
export function formatWorkingMinutes(minutes: number): string {
  if (minutes % 60 === 0) return at('wt.hours', { count: minutes / 60 });
  if (minutes < 60) return at('wt.minutes', { count: minutes });
  return at('wt.hoursMinutes', { hours: Math.floor(minutes / 60), minutes: minutes % 60 });
}

/**
 * A working-time field: a number and its unit (working hours or minutes), converted to the API's
 * working minutes. `maxMinutes` is the schema's maximum.
 */
export function workingTimeField(options: { id: string; label: string; minutes: number | null; required: boolean; maxMinutes: number; hint?: string }): { wrapper: HTMLElement; minutes(): number | null } {
  const inHours = options.minutes === null || options.minutes % 60 === 0;
  const amount = h('input', {
    id: options.id,
    name: options.id,
    type: 'number',
    inputmode: 'decimal',
    required: options.required,
    min: inHours ? 0.5 : 1,
    max: inHours ? options.maxMinutes / 60 : options.maxMinutes,
    step: inHours ? 0.5 : 1,
    value: options.minutes === null ? undefined : String(inHours ? options.minutes / 60 : options.minutes),
    'aria-describedby': `${options.id}-hint`,
  });
  const unit = h(
    'select',
    { id: `${options.id}-unit`, name: `${options.id}-unit`, 'aria-label': `${options.label}: ${at('wt.unit')}` },
    h('option', { value: 'hours', selected: inHours }, at('wt.unitHours')),
    h('option', { value: 'minutes', selected: !inHours }, at('wt.unitMinutes')),
  );
  const shown = h('span', { className: 'admin-wt-now', 'aria-live': 'polite' });
  const minutes = (): number | null => {
    if (amount.value.trim() === '') return null;
    const value = Number(amount.value);
    return unit.value === 'hours' ? Math.round(value * 60) : value;
  };
  const update = () => {
    const value = minutes();
    shown.textContent = value !== null && Number.isFinite(value) && value > 0 && Number.isInteger(value) ? `= ${formatWorkingMinutes(value)}` : '';
  };
  unit.addEventListener('change', () => {
    const hours = unit.value === 'hours';
    amount.min = hours ? '0.5' : '1';
    amount.step = hours ? '0.5' : '1';
    amount.max = String(hours ? options.maxMinutes / 60 : options.maxMinutes);
    update();
  });
  amount.addEventListener('input', update);
  update();
  const wrapper = h(
    'div',
    { className: 'admin-field admin-wt' },
    labelFor(options),
    h('div', { className: 'admin-wt-row' }, amount, unit, shown),
    h('p', { className: 'muted admin-hint', id: `${options.id}-hint` }, options.hint ? `${options.hint} ` : '', at('wt.explain')),
  );
  return { wrapper, minutes };
}

/** A table that reads as cards on a phone (each cell says what it is through data-label). */
export function dataTable(options: { className?: string; caption: string; headers: string[]; rows: { cells: Child[]; attributes?: Attributes }[] }): HTMLTableElement {
  return h(
    'table',
    { className: `admin-table ${options.className ?? ''}` },
    h('caption', { className: 'visually-hidden' }, options.caption),
    h('thead', {}, h('tr', {}, options.headers.map((header) => h('th', { scope: 'col' }, header)))),
    h(
      'tbody',
      {},
      options.rows.map((row) => h('tr', row.attributes ?? {}, row.cells.map((cell, index) => h('td', { 'data-label': options.headers[index] }, cell)))),
    ),
  );
}

/** Reads a form's text field, trimmed; null when empty. */
export function textValue(form: HTMLFormElement, name: string): string | null {
  const element = form.elements.namedItem(name) as HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement | null;
  const value = element?.value.trim() ?? '';
  return value === '' ? null : value;
}

export function checked(form: HTMLFormElement, name: string): boolean {
  return (form.elements.namedItem(name) as HTMLInputElement | null)?.checked ?? false;
}

export function sectionHeader(title: string, intro?: string, ...extra: Child[]): HTMLElement {
  return h('header', { className: 'admin-section-header' }, h('h2', { className: 'admin-section-title', tabindex: -1 }, title), intro ? h('p', { className: 'muted' }, intro) : null, ...extra);
}
