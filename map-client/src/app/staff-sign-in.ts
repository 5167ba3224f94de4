import { describeError } from './api-client.ts';
import { h } from './dom.ts';
import { t } from './i18n.ts';
import { signIn, signOut, type StaffUser } from '../ioc/staff-session.ts';

export interface StaffSignInOptions {
  /** Prefix of the fields' ids (`{idPrefix}-email`, `{idPrefix}-password`): unique on the page. */
  idPrefix: string;
  title: string;
  /** The roles that may use the screen; another account is signed out again with `refusal`. */
  allowedRoles: readonly StaffUser['role'][];
  refusal(user: StaffUser): string;
  /** E-mail typed before (kept across a failed attempt: only the password is typed again). */
  email?: string;
  /** A message to show under the form from the start (e.g. why the last attempt failed). */
  error?: string;
  onSignedIn(user: StaffUser): void | Promise<void>;
  /** Called after a refused or failed attempt, with what was typed and the message shown. */
  onFailed?(email: string, message: string): void;
}

/**
 * The sign-in form of the staff screens (IOC, office desk, admin console): e-mail and password,
 * `POST /api/auth/login`, the platform's own message when refused, and the focus back on the field
 * to type again. An account whose role may not use the screen is signed out at once and told so.
 */
export function createStaffSignInForm(options: StaffSignInOptions): HTMLFormElement {
  const emailId = `${options.idPrefix}-email`;
  const passwordId = `${options.idPrefix}-password`;
  const email = h('input', { type: 'email', id: emailId, name: 'email', autocomplete: 'username', required: true, value: options.email ?? '' });
  const password = h('input', { type: 'password', id: passwordId, name: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { type: 'submit', className: 'primary-button' }, t('ioc.login'));
  const error = h('p', { className: 'error', role: 'alert' }, options.error ?? '');
  const form = h(
    'form',
    { className: 'ioc-login staff-login', 'aria-labelledby': `${options.idPrefix}-login-title` },
    h('h3', { id: `${options.idPrefix}-login-title` }, options.title),
    h('label', { for: emailId }, t('ioc.email')),
    email,
    h('label', { for: passwordId }, t('ioc.password')),
    password,
    submit,
    error,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const typed = email.value.trim();
    submit.disabled = true;
    submit.textContent = t('ioc.loggingIn');
    let message = '';
    let user: StaffUser | undefined;
    try {
      user = await signIn(typed, password.value);
      if (!options.allowedRoles.includes(user.role)) {
        message = options.refusal(user);
        await signOut();
        user = undefined;
      }
    } catch (failure) {
      message = describeError(failure);
    }
    submit.disabled = false;
    submit.textContent = t('ioc.login');
    if (user) {
      await options.onSignedIn(user);
      return;
    }
    error.textContent = message;
    password.value = '';
    options.onFailed?.(typed, message);
    (form.isConnected ? (typed ? password : email) : undefined)?.focus();
  });
  return form;
}
