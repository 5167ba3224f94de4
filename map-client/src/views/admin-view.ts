import { describeError } from '../app/api-client.ts';
import { h, replaceChildren } from '../app/dom.ts';
import { onLanguageChange } from '../app/i18n.ts';
import { createStaffSignInForm } from '../app/staff-sign-in.ts';
import type { AdminConsole, mountAdminConsole as MountAdminConsole } from '../admin/admin-console.ts';
import { at } from '../admin/admin-messages.ts';
import { currentUser, signOut, type StaffUser } from '../ioc/staff-session.ts';
import type { AppView, ViewContext } from './view.ts';

/**
 * The signed-in admin, kept while the page lives: moving between the console's sections re-enters
 * this view (the shell shows the view of each path), and asking /api/auth/me each time would flash
 * the sign-in form. A 401 from any call clears it.
 */
let knownUser: StaffUser | undefined;
let typedEmail = '';
let loginError = '';

/** The admin console (`/admin`, `/admin/{section}`), for administrators only. */
export async function enterAdminView({ panel, announce }: ViewContext): Promise<AppView> {
  let left = false;
  let console: AdminConsole | undefined;
  panel.classList.add('admin-panel');

  const renderLogin = (message = loginError) => {
    console?.destroy();
    console = undefined;
    const form = createStaffSignInForm({
      idPrefix: 'admin',
      title: at('loginTitle'),
      allowedRoles: ['admin'],
      refusal: (refused) => at('notAdmin', { name: refused.displayName }),
      email: typedEmail,
      error: message,
      onSignedIn: (signedIn) => {
        knownUser = signedIn;
        loginError = '';
        if (!left) void openConsole();
      },
      onFailed: (email, failure) => {
        typedEmail = email;
        loginError = failure;
      },
    });
    replaceChildren(panel, h('div', { className: 'admin-login' }, h('h2', {}, at('title')), h('p', {}, at('loginRequired')), form));
  };

  // The console itself (its sections and forms) is fetched once an admin has signed in: a visitor of
  // /admin who is not one downloads the sign-in form and no more.
  const openConsole = async () => {
    if (!knownUser) return renderLogin();
    let mountAdminConsole: typeof MountAdminConsole;
    try {
      ({ mountAdminConsole } = await import('../admin/admin-console.ts'));
    } catch (error) {
      replaceChildren(panel, h('div', { className: 'admin-login' }, h('h2', {}, at('title')), h('p', { className: 'error', role: 'alert' }, describeError(error))));
      return;
    }
    if (left || !knownUser) return;
    console?.destroy();
    console = mountAdminConsole(panel, {
      user: knownUser,
      announce,
      signOut: async () => {
        await signOut();
        knownUser = undefined;
        loginError = '';
        if (!left) renderLogin();
      },
      sessionEnded: () => {
        knownUser = undefined;
        loginError = at('sessionEnded');
        if (!left) renderLogin();
      },
    });
  };

  (window as unknown as { bandosoAdmin?: unknown }).bandosoAdmin = {
    section: () => console?.section() ?? 'sign-in',
    loaded: () => console?.loaded() ?? false,
  };

  if (!knownUser) {
    try {
      const user = await currentUser();
      knownUser = user?.role === 'admin' ? user : undefined;
      if (user && user.role !== 'admin') loginError = at('notAdmin', { name: user.displayName });
    } catch (error) {
      loginError = describeError(error);
    }
  }
  if (!left) {
    if (knownUser) await openConsole();
    else renderLogin();
  }

  const stopLanguage = onLanguageChange(() => {
    if (console) console.render();
    else if (!knownUser) renderLogin();
  });
  return {
    id: 'admin',
    leave() {
      left = true;
      console?.destroy();
      stopLanguage();
      panel.classList.remove('admin-panel');
    },
  };
}
