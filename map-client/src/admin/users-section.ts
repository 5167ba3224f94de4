import { ApiError, describeError } from '../app/api-client.ts';
import { h } from '../app/dom.ts';
import { adminApi, roles, type AdminUser, type Office, type Role } from './admin-api.ts';
import { at } from './admin-messages.ts';
import { actionButton, actionForm, dataTable, forget, inputField, loadFailure, rerender, sectionHeader, selectField, textValue, type Section, type SectionContext } from './admin-ui.ts';

const roleLabel = (role: string) => at(`role.${role as Role}`);

/** The office select follows the role: required for an officer, empty and disabled for anyone else. */
function linkRoleAndOffice(role: HTMLSelectElement, office: HTMLSelectElement): void {
  const update = () => {
    const officer = role.value === 'officer';
    office.required = officer;
    office.disabled = !officer;
    if (!officer) office.value = '';
  };
  role.addEventListener('change', update);
  update();
}

const officeOptions = (offices: Office[], empty: string) => [['', empty] as const, ...offices.map((office) => [office.code, `${office.name} (${office.code})`] as const)];

/** Accounts: list with filters, create, change role/office/name, deactivate/reactivate, reset password. */
export function createUsersSection(context: SectionContext): Section {
  const element = h('section', { className: 'admin-section', 'data-section': 'users', 'aria-labelledby': 'admin-users-heading' });
  let users: AdminUser[] | undefined;
  let offices: Office[] = [];
  let loadError: unknown;
  let editing: string | undefined;
  let listError: unknown;
  const filter = { q: '', role: '', office: '' };

  const fail = (error: unknown) => {
    if (error instanceof ApiError && error.status === 401) return context.sessionEnded();
    listError = error;
    render();
  };

  const reload = async () => {
    try {
      [users, offices] = await Promise.all([adminApi.users(filter), offices.length ? Promise.resolve(offices) : adminApi.offices()]);
      loadError = undefined;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return context.sessionEnded();
      loadError = error;
    }
    render();
  };

  const filterForm = () => {
    const q = inputField({ id: 'admin-users-q', name: 'q', label: at('users.q'), type: 'search', value: filter.q, maxlength: 200, optionalMark: false });
    const role = selectField({ id: 'admin-users-role', name: 'role', label: at('users.role'), value: filter.role, optionalMark: false, options: [['', at('all')], ...roles.map((code) => [code, roleLabel(code)] as const)] });
    const office = selectField({ id: 'admin-users-office', name: 'office', label: at('users.office'), value: filter.office, optionalMark: false, options: officeOptions(offices, at('all')) });
    const form = h(
      'form',
      { id: 'admin-users-filter', className: 'admin-filter', role: 'search', 'aria-label': at('users.filter') },
      q.wrapper,
      role.wrapper,
      office.wrapper,
      h('div', { className: 'admin-buttons' }, h('button', { type: 'submit', className: 'secondary-button' }, at('users.filterApply'))),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      filter.q = q.input.value.trim();
      filter.role = role.input.value;
      filter.office = office.input.value;
      void reload();
    });
    return form;
  };

  const userRow = (user: AdminUser) => {
    const self = user.id === context.userId;
    const edit = h('button', { type: 'button', className: 'secondary-button', 'aria-label': `${at('edit')}: ${user.email}`, 'aria-expanded': String(editing === user.id) }, at('edit'));
    edit.addEventListener('click', () => {
      editing = editing === user.id ? undefined : user.id;
      render();
      document.getElementById('admin-user-edit-title')?.focus();
    });
    const toggle = self
      ? null
      : actionButton({
          label: user.active ? at('users.deactivate') : at('users.reactivate'),
          ariaLabel: `${user.active ? at('users.deactivate') : at('users.reactivate')}: ${user.email}`,
          className: user.active ? 'secondary-button admin-danger' : 'secondary-button',
          confirm: () => (user.active ? at('users.confirmDeactivate', { email: user.email }) : at('users.confirmReactivate', { email: user.email })),
          run: async () => {
            const wasActive = user.active;
            await adminApi.updateUser(user.id, { active: !wasActive });
            listError = undefined;
            context.notify(() => (wasActive ? at('users.deactivated', { email: user.email }) : at('users.reactivated', { email: user.email })));
            await reload();
          },
          onError: fail,
        });
    return {
      attributes: { 'data-user-id': user.id, 'data-email': user.email, 'data-active': String(user.active), className: user.active ? '' : 'is-inactive' },
      cells: [
        h('span', { className: 'admin-user-name' }, h('strong', {}, user.displayName), self ? ` ${at('users.you')}` : '', h('br'), h('span', { className: 'muted' }, user.email)),
        roleLabel(user.role),
        user.office ? `${user.office.name} (${user.office.code})` : at('none'),
        h('span', { className: user.active ? 'admin-state is-on' : 'admin-state is-off' }, user.active ? at('users.active') : at('users.inactive')),
        h('span', { className: 'admin-row-actions' }, edit, toggle),
      ],
    };
  };

  const list = () => {
    if (loadError !== undefined) return loadFailure(loadError, () => void reload());
    if (!users) return h('p', { className: 'muted' }, at('loading'));
    return h(
      'div',
      { className: 'admin-list' },
      h('p', { className: 'muted admin-count', 'aria-live': 'polite' }, at('users.count', { count: users.length })),
      listError !== undefined ? h('p', { className: 'error admin-list-error', role: 'alert' }, `${at('refusedTitle')} ${describeError(listError)}`) : null,
      users.length === 0
        ? h('p', {}, at('users.empty'))
        : dataTable({ className: 'admin-users-table', caption: at('users.title'), headers: [at('users.name'), at('users.role'), at('users.office'), at('users.status'), at('actions')], rows: users.map(userRow) }),
    );
  };

  const editPanel = (user: AdminUser) => {
    const name = inputField({ id: 'admin-user-edit-name', name: 'displayName', label: at('users.name'), value: user.displayName, required: true, maxlength: 200 });
    const role = selectField({ id: 'admin-user-edit-role', name: 'role', label: at('users.role'), value: user.role, required: true, options: roles.map((code) => [code, roleLabel(code)] as const) });
    const office = selectField({ id: 'admin-user-edit-office', name: 'officeCode', label: at('users.office'), value: user.office?.code ?? '', hint: at('users.officeHint'), optionalMark: false, options: officeOptions(offices, at('users.chooseOffice')) });
    linkRoleAndOffice(role.input, office.input);
    const close = h('button', { type: 'button', className: 'link-button' }, at('close'));
    close.addEventListener('click', () => {
      editing = undefined;
      render();
    });
    const editForm = actionForm({
      id: `admin-user-edit-${user.id}`,
      children: [name.wrapper, role.wrapper, office.wrapper],
      submitLabel: at('save'),
      context,
      onSubmit: async (form) => {
        await adminApi.updateUser(user.id, { displayName: name.input.value.trim(), role: role.input.value as Role, officeCode: textValue(form, 'officeCode') });
        editing = undefined;
        await reload();
        return () => at('users.saved', { email: user.email });
      },
    });
    const password = inputField({ id: 'admin-user-reset-password', name: 'password', label: at('users.newPassword'), type: 'password', required: true, minlength: 10, maxlength: 200, autocomplete: 'new-password', hint: at('users.passwordHint') });
    const passwordForm = actionForm({
      id: `admin-user-password-${user.id}`,
      title: at('users.resetPassword'),
      className: 'admin-subform',
      children: [password.wrapper],
      submitLabel: at('users.resetPassword'),
      context,
      onSubmit: async (form) => {
        await adminApi.resetPassword(user.id, password.input.value);
        forget(form);
        return () => at('users.passwordReset', { email: user.email });
      },
    });
    return h('div', { className: 'admin-card admin-user-edit' }, h('div', { className: 'admin-card-head' }, h('h3', { id: 'admin-user-edit-title', tabindex: -1 }, at('users.editTitle', { email: user.email })), close), editForm, passwordForm);
  };

  const createForm = () => {
    const email = inputField({ id: 'admin-user-new-email', name: 'email', label: at('users.email'), type: 'email', required: true, maxlength: 254, autocomplete: 'off' });
    const name = inputField({ id: 'admin-user-new-name', name: 'displayName', label: at('users.name'), required: true, maxlength: 200 });
    const password = inputField({ id: 'admin-user-new-password', name: 'password', label: at('users.password'), type: 'password', required: true, minlength: 10, maxlength: 200, autocomplete: 'new-password', hint: at('users.passwordHint') });
    const role = selectField({ id: 'admin-user-new-role', name: 'role', label: at('users.role'), value: 'officer', required: true, options: roles.map((code) => [code, roleLabel(code)] as const) });
    const office = selectField({ id: 'admin-user-new-office', name: 'officeCode', label: at('users.office'), value: '', hint: at('users.officeHint'), optionalMark: false, options: officeOptions(offices, at('users.chooseOffice')) });
    linkRoleAndOffice(role.input, office.input);
    return actionForm({
      id: 'admin-user-new',
      title: at('users.create'),
      className: 'admin-card',
      children: [email.wrapper, name.wrapper, password.wrapper, role.wrapper, office.wrapper],
      submitLabel: at('users.createSubmit'),
      context,
      onSubmit: async (form) => {
        const created = email.input.value.trim();
        await adminApi.createUser({ email: created, displayName: name.input.value.trim(), password: password.input.value, role: role.input.value as Role, officeCode: textValue(form, 'officeCode') });
        forget(form);
        await reload();
        return () => at('users.created', { email: created });
      },
    });
  };

  function render(): void {
    const edited = editing ? users?.find((user) => user.id === editing) : undefined;
    rerender(element, [
      sectionHeader(at('users.title')),
      h('div', { className: 'admin-columns' }, h('div', { className: 'admin-main-column' }, filterForm(), list()), h('div', { className: 'admin-side-column' }, edited ? editPanel(edited) : null, createForm())),
    ]);
    element.querySelector('h2')?.setAttribute('id', 'admin-users-heading');
  }

  return { element, render, load: reload };
}
