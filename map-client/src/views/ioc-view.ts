import { videoWallPath } from '@bandoso/contracts';
import { describeError } from '../app/api-client.ts';
import { h, replaceChildren } from '../app/dom.ts';
import { i18nAttributes, onLanguageChange, t, type MessageKey } from '../app/i18n.ts';
import { loadVideoWall } from '../cameras/camera-loaders.ts';
import { createStaffSignInForm } from '../app/staff-sign-in.ts';
import { currentUser, operationsRoles, signOut, type StaffUser } from '../ioc/staff-session.ts';
import { iocText } from '../ioc/ioc-messages.ts';
import { navigateTo, viewPaths, type AppView, type ViewContext } from './view.ts';

/** `/ioc/cameras` (and `/ioc/cameras/`): the IOC view shows the video wall instead of the dashboard. */
const isVideoWallPath = (pathname: string) => pathname.replace(/\/+$/, '') === videoWallPath;

/** A link to another path of the page, followed without reloading it. */
function pageLink(path: string, className: string, text: string): HTMLAnchorElement {
  const link = h('a', { href: path, className }, text);
  link.addEventListener('click', (event) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    navigateTo(path);
  });
  return link;
}

/**
 * The operations centre's view, for signed-in IOC operators (and admins). deck.gl is loaded here
 * and only here, after sign-in (ioc/ioc-dashboard.ts, ~3× the size of the citizen entry): the live
 * reports, the density hexagons and the on-time choropleth on an interleaved MapboxOverlay, the live
 * list and the statistics panel. At `/ioc/cameras` it shows the video wall instead (cameras/video-wall.ts,
 * hls.js; no deck.gl), over the map.
 */
export async function enterIocView({ map, panel, announce }: ViewContext): Promise<AppView> {
  const wallMode = isVideoWallPath(location.pathname);
  let user: StaffUser | undefined;
  let dashboard: { destroy(): void } | undefined;
  let wall: { destroy(): void } | undefined;
  let left = false;
  let loginError = '';
  // Kept across a failed attempt: only the password is typed again.
  let typedEmail = '';
  const status = h('p', { role: 'status', className: 'muted' });
  /** A message in the status line, marked so a language switch translates it; an error's text as it is. */
  const setStatus = (key: MessageKey | undefined, text = '') => {
    if (key) {
      status.dataset.i18n = key;
      status.textContent = t(key);
    } else {
      delete status.dataset.i18n;
      status.textContent = text;
    }
  };
  const dashboardContainer = h('div', { className: 'ioc-dashboard' });
  // On a phone the dashboard is a sheet that peeks above the bottom of the map: one tap opens it.
  let sheetOpen = false;
  const sheetToggle = () => {
    const toggle = h(
      'button',
      { type: 'button', className: 'sheet-toggle', 'aria-controls': 'view-panel', 'aria-expanded': String(sheetOpen), ...i18nAttributes(sheetOpen ? 'sheet.collapse' : 'sheet.expand') },
      t(sheetOpen ? 'sheet.collapse' : 'sheet.expand'),
    );
    toggle.addEventListener('click', () => {
      sheetOpen = !sheetOpen;
      panel.dataset.sheet = sheetOpen ? 'open' : 'peek';
      toggle.setAttribute('aria-expanded', String(sheetOpen));
      toggle.dataset.i18n = sheetOpen ? 'sheet.collapse' : 'sheet.expand';
      toggle.textContent = t(sheetOpen ? 'sheet.collapse' : 'sheet.expand');
      if (!sheetOpen) panel.scrollTop = 0;
    });
    return toggle;
  };

  const logoutButton = () => {
    const logout = h('button', { type: 'button', className: 'secondary-button ioc-logout' }, t('ioc.logout'));
    logout.addEventListener('click', async () => {
      dashboard?.destroy();
      dashboard = undefined;
      wall?.destroy();
      wall = undefined;
      await signOut();
      user = undefined;
      replaceChildren(dashboardContainer);
      delete panel.dataset.sheet;
      render();
    });
    return logout;
  };

  const render = () => {
    if (!user || !operationsRoles.includes(user.role)) return renderLogin();
    // The wall covers the map and the panel, and carries the frame itself (wallFrame).
    if (wallMode) return replaceChildren(panel, status);
    panel.dataset.sheet = sheetOpen ? 'open' : 'peek';
    replaceChildren(
      panel,
      h('div', { className: 'sheet-header' }, h('h2', i18nAttributes('ioc.title'), t('ioc.title')), sheetToggle()),
      h('p', { className: 'muted ioc-user' }, t('ioc.signedInAs', { name: user.displayName }), ' ', logoutButton()),
      h('p', { className: 'ioc-links' }, pageLink(videoWallPath, 'ioc-wall-link', t('wall.open')), pageLink(viewPaths.office, 'ioc-desk-link', iocText.t('deskLink')), user.role === 'admin' ? pageLink(viewPaths.admin, 'ioc-admin-link', iocText.t('adminLink')) : null),
      status,
      dashboardContainer,
    );
  };

  /** Back to the map, who is signed in, sign out: in the wall's header. */
  const wallFrame = h('div', { className: 'wall-frame' });
  const renderWallFrame = () => replaceChildren(wallFrame, pageLink('/ioc', 'ioc-wall-link', t('wall.backToMap')), h('p', { className: 'muted ioc-user' }, t('ioc.signedInAs', { name: user?.displayName ?? '' })), logoutButton());

  const renderLogin = () => {
    const form = createStaffSignInForm({
      idPrefix: 'ioc',
      title: t('ioc.loginTitle'),
      allowedRoles: operationsRoles,
      refusal: (refused) => t('ioc.notOperator', { name: refused.displayName }),
      email: typedEmail,
      error: loginError,
      onSignedIn: async (signedIn) => {
        user = signedIn;
        loginError = '';
        if (left) return;
        render();
        await openOperations();
      },
      onFailed: (email, message) => {
        typedEmail = email;
        loginError = message;
      },
    });
    delete panel.dataset.sheet;
    replaceChildren(panel, h('h2', {}, t('ioc.title')), h('p', {}, t('ioc.loginRequired')), form, status);
  };

  const openWall = async () => {
    setStatus('wall.loading');
    try {
      const { mountVideoWall } = await loadVideoWall();
      if (left || !user) return;
      renderWallFrame();
      wall = mountVideoWall(map.getContainer().parentElement ?? document.body, { announce, header: wallFrame });
      setStatus(undefined);
    } catch (error) {
      setStatus(undefined, describeError(error));
      announce(describeError(error));
    }
  };

  const openOperations = () => (wallMode ? openWall() : openDashboard());

  const openDashboard = async () => {
    setStatus('ioc.loading');
    try {
      const { mountIocDashboard } = await import('../ioc/ioc-dashboard.ts');
      if (left || !user) return;
      dashboard = mountIocDashboard(map, dashboardContainer, announce);
      // The sheet peeks from its top (the sign-in form may have left the panel scrolled).
      panel.scrollTop = 0;
      setStatus('ioc.ready');
      status.dataset.ready = 'true';
    } catch (error) {
      setStatus(undefined, describeError(error));
      announce(describeError(error));
    }
  };

  try {
    user = await currentUser();
  } catch (error) {
    loginError = describeError(error);
  }
  render();
  if (user && operationsRoles.includes(user.role)) await openOperations();
  const stopLanguage = onLanguageChange(() => {
    // The dashboard keeps its state; only the frame around it is re-rendered.
    if (!user) renderLogin();
    else if (wall) renderWallFrame();
    else render();
  });
  return {
    id: 'ioc',
    leave() {
      left = true;
      dashboard?.destroy();
      wall?.destroy();
      stopLanguage();
      delete panel.dataset.sheet;
    },
  };
}
