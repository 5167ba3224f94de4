import { describeError } from '../app/api-client.ts';
import { h, replaceChildren } from '../app/dom.ts';
import { getLanguage, onLanguageChange, t } from '../app/i18n.ts';
import { createStaffSignInForm } from '../app/staff-sign-in.ts';
import { connectLiveReports, type FeedState } from '../ioc/live-reports.ts';
import { currentUser, signOut, type StaffUser } from '../ioc/staff-session.ts';
import { emptyFilter, type QueueFilter } from '../office/office-api.ts';
import type * as DeskPartsModule from '../office/office-desk-parts.ts';
import type { OfficeMap } from '../office/office-map.ts';
import { ot } from '../office/office-messages.ts';
import type { Queue } from '../office/office-queue.ts';
import type { ReportPage } from '../office/office-report.ts';
import { loadCategories, type Category } from '../reports/report-api.ts';
import { navigateTo, type AppView, type ViewContext } from './view.ts';
import '../office/office.css';

type DeskParts = typeof DeskPartsModule;

/** The roles that work at the desk: officers (their office's reports), IOC operators and admins (all). */
export const deskRoles: readonly StaffUser['role'][] = ['officer', 'ioc_operator', 'admin'];

const deskPath = '/office';
const reportPath = (reportId: string) => `${deskPath}/reports/${encodeURIComponent(reportId)}`;
/** `/office/reports/{id}`: the report's id, else undefined (the queue). */
const reportIdOf = (pathname: string) => /^\/office\/reports\/([^/]+)\/?$/.exec(pathname)?.[1];

/** Kept while the page lives: the view is entered again at each of its paths (queue ⇄ report). */
const desk = {
  filter: emptyFilter() as QueueFilter,
  sound: false,
  communes: new Map<string, string>(),
  categories: undefined as Category[] | undefined,
  /** Shown once on the queue (e.g. after a transfer away). */
  pendingNotice: '',
  loginError: '',
  typedEmail: '',
};

export interface OfficeProbe {
  queueCodes(): string[];
  shownReport(): string | undefined;
  mapCodes(): string[];
  feedState(): string;
}

declare global {
  interface Window {
    bandosoOffice?: OfficeProbe;
  }
}

/** A short beep (Web Audio: no audio file), when the officer asked for sound. */
function beep(): void {
  try {
    const AudioContextClass = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!AudioContextClass) return;
    const audio = new AudioContextClass();
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.type = 'sine';
    oscillator.frequency.value = 880;
    gain.gain.setValueAtTime(0.0001, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.2, audio.currentTime + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + 0.35);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start();
    oscillator.stop(audio.currentTime + 0.4);
    oscillator.addEventListener('ended', () => void audio.close());
  } catch {
    // Sound is a courtesy: the notice is on screen anyway.
  }
}

/**
 * The office's desk (`/office`, a report's page `/office/reports/{id}`), for signed-in officers, IOC
 * operators and admins: the queue of reports they may act on, most urgent first, with the same
 * reports on the map, new ones arriving live; a report's page with every action its status allows.
 */
export async function enterOfficeView({ map, panel, announce }: ViewContext): Promise<AppView> {
  let user: StaffUser | undefined;
  let left = false;
  let officeMap: OfficeMap | undefined;
  let queue: Queue | undefined;
  let page: ReportPage | undefined;
  let feed: { close(): void } | undefined;
  let feedState: FeedState | 'closed' = 'closed';
  /** The desk's working parts, fetched after sign-in (office/office-desk-parts.ts). */
  let parts: DeskParts | undefined;
  const reportId = reportIdOf(location.pathname);
  const liveNotice = h('div', { className: 'office-live', role: 'status' });
  const feedLine = h('p', { className: 'muted office-feed' });

  const open = (id: string) => navigateTo(reportPath(id));
  const toQueue = () => navigateTo(deskPath);

  const probe: OfficeProbe = {
    queueCodes: () => queue?.codes() ?? [],
    shownReport: () => page?.shown(),
    mapCodes: () => officeMap?.codes() ?? [],
    feedState: () => feedState,
  };
  window.bandosoOffice = probe;

  const header = () =>
    h(
      'div',
      { className: 'office-header' },
      h('h2', {}, ot('title')),
      user
        ? h(
            'p',
            { className: 'muted office-user' },
            ot('signedInAs', { name: user.displayName }),
            ' · ',
            user.office ? ot('officeOf', { office: user.office.name }) : ot('allOffices'),
            ' ',
            logoutButton(),
          )
        : null,
    );

  const logoutButton = () => {
    const button = h('button', { type: 'button', className: 'link-button office-logout' }, t('ioc.logout'));
    button.addEventListener('click', async () => {
      teardown();
      await signOut();
      user = undefined;
      renderLogin();
    });
    return button;
  };

  const renderLogin = () => {
    const form = createStaffSignInForm({
      idPrefix: 'office',
      title: ot('loginTitle'),
      allowedRoles: deskRoles,
      refusal: (refused) => ot('notStaff', { name: refused.displayName }),
      email: desk.typedEmail,
      error: desk.loginError,
      onSignedIn: async (signedIn) => {
        user = signedIn;
        desk.loginError = '';
        if (left) return;
        await openDesk();
      },
      onFailed: (email, message) => {
        desk.typedEmail = email;
        desk.loginError = message;
      },
    });
    replaceChildren(panel, h('div', { className: 'office-desk' }, header(), h('p', {}, ot('loginRequired')), form));
  };

  const showLiveNotice = (text: string) => {
    const dismiss = h('button', { type: 'button', className: 'link-button', 'aria-label': ot('dismiss') }, '✕');
    dismiss.addEventListener('click', () => replaceChildren(liveNotice));
    replaceChildren(liveNotice, h('p', { className: 'office-live-text' }, text), dismiss);
  };

  let refreshTimer: ReturnType<typeof setTimeout> | undefined;
  const startFeed = () => {
    feed = connectLiveReports(
      (type, data) => {
        if (!user) return;
        const { report } = data;
        // An officer hears of their own office's reports only.
        if (user.role === 'officer' && user.office && report.office.code !== user.office.code) return;
        if (type === 'report.created') {
          const category = desk.categories?.find((item) => item.code === report.category);
          const text = ot('liveNew', { code: report.trackingCode, category: category ? (getLanguage() === 'en' ? category.nameEn : category.nameVi) : report.category, commune: report.commune.name });
          showLiveNotice(text);
          announce(text);
          if (desk.sound) beep();
        }
        // A burst of events refreshes the queue once.
        clearTimeout(refreshTimer);
        refreshTimer = setTimeout(() => void queue?.refresh(), 300);
      },
      (state) => {
        feedState = state;
        feedLine.textContent = state === 'open' ? ot('liveOn') : state === 'reconnecting' ? ot('liveReconnecting') : '';
      },
    );
  };

  const renderQueue = () => {
    queue?.destroy();
    queue = parts!.createQueue({
      filter: desk.filter,
      categories: desk.categories ?? [],
      communes: desk.communes,
      sound: desk.sound,
      onSound: (on) => (desk.sound = on),
      onFilter: (filter) => {
        desk.filter = filter;
        renderQueue();
        void queue?.refresh();
      },
      onLoaded: (reports) => officeMap?.show(reports),
      openPath: reportPath,
      onOpen: open,
    });
    const notice = desk.pendingNotice ? h('p', { className: 'success office-moved', role: 'status', tabindex: '-1' }, desk.pendingNotice) : null;
    replaceChildren(panel, h('div', { className: 'office-desk' }, header(), notice, liveNotice, feedLine, queue.element));
  };

  const renderReport = (id: string) => {
    page?.destroy();
    page = parts!.createReportPage({
      reportId: id,
      role: user!.role,
      officeMap: officeMap!,
      flyTo: (coordinates) => map.flyTo({ center: coordinates, zoom: Math.max(map.getZoom(), 16), padding: panelPadding() }),
      announce,
      backPath: deskPath,
      onBack: toQueue,
      onMovedAway: (notice) => {
        desk.pendingNotice = notice;
        announce(notice);
        toQueue();
      },
    });
    replaceChildren(panel, h('div', { className: 'office-desk' }, header(), liveNotice, page.element));
  };

  const openDesk = async () => {
    if (!parts) {
      replaceChildren(panel, h('div', { className: 'office-desk' }, header(), h('p', { className: 'muted', role: 'status' }, t('app.loading'))));
      try {
        parts = await import('../office/office-desk-parts.ts');
      } catch (error) {
        replaceChildren(panel, h('div', { className: 'office-desk' }, header(), h('p', { className: 'error', role: 'alert' }, describeError(error))));
        return;
      }
    }
    if (!desk.categories) desk.categories = await loadCategories().catch(() => []);
    if (left || !user) return;
    officeMap ??= parts.mountOfficeMap(map, open);
    if (!feed) startFeed();
    if (reportId) {
      renderReport(reportId);
      await page!.load();
      page?.flyToReport();
    } else {
      renderQueue();
      const pending = desk.pendingNotice;
      desk.pendingNotice = '';
      if (pending) panel.querySelector<HTMLElement>('.office-moved')?.focus();
      await queue!.refresh();
      if (!left && queue && !pending) officeMap.fitTo(queue.reports());
    }
  };

  /** Keeps the flown-to report out from under the panel (a bottom sheet on phones, a side panel from 900px). */
  const panelPadding = () => {
    const panelBox = panel.getBoundingClientRect();
    const mapBox = map.getContainer().getBoundingClientRect();
    const none = { top: 0, left: 0, right: 0, bottom: 0 };
    if (window.innerWidth < 900) return { ...none, bottom: Math.max(0, Math.min(mapBox.height * 0.7, mapBox.bottom - panelBox.top)) };
    return { ...none, right: Math.max(0, Math.min(mapBox.width * 0.5, mapBox.right - panelBox.left)) };
  };

  const teardown = () => {
    map.setPadding({ top: 0, left: 0, right: 0, bottom: 0 });
    clearTimeout(refreshTimer);
    feed?.close();
    feed = undefined;
    feedState = 'closed';
    queue?.destroy();
    queue = undefined;
    page?.destroy();
    page = undefined;
    officeMap?.destroy();
    officeMap = undefined;
  };

  try {
    user = await currentUser();
  } catch (error) {
    desk.loginError = describeError(error);
  }
  if (user && deskRoles.includes(user.role)) await openDesk();
  else {
    user = undefined;
    renderLogin();
  }

  const stopLanguage = onLanguageChange(() => {
    if (left) return;
    if (!user) return renderLogin();
    if (page) {
      replaceChildren(panel, h('div', { className: 'office-desk' }, header(), liveNotice, page.element));
      page.rerender();
    } else if (queue) {
      renderQueue();
      void queue.refresh();
    }
    feedLine.textContent = feedState === 'open' ? ot('liveOn') : feedState === 'reconnecting' ? ot('liveReconnecting') : '';
  });

  return {
    id: 'office',
    leave() {
      left = true;
      stopLanguage();
      teardown();
      if (window.bandosoOffice === probe) delete window.bandosoOffice;
    },
  };
}
