import type { HeritageSite, HeritageStop } from '@bandoso/contracts';
import { ApiError, describeError } from '../app/api-client.ts';
import { h, replaceChildren } from '../app/dom.ts';
import { formatBytes, formatPercent, getLanguage, onLanguageChange, setLanguage, t, translateDom, type Language, type MessageKey } from '../app/i18n.ts';
import { heritageSiteUrl, loadHeritageSite, localText, openingHoursText } from './heritage-api.ts';
import { forgetSavedTour, offlineSaveSupported, saveTourForOffline, savedTour, type SavedTour } from './offline-save.ts';
import { dwellTime, stepStop, type CameraPose } from './tour-math.ts';
import type { TourScene } from './tour-scene.ts';

/** The 3D part, in its own chunk with three.js and 3d-tiles-renderer (≤ 250 kB gzip, tools/check-bundle-budget.ts). */
const loadTourScene = () => import('./tour-scene.ts');

/** A small, read-only view of the tour for the browser tests and the benchmark. */
export interface HeritageTourHandle {
  code: string;
  stopIndex(): number;
  stopCount(): number;
  cameraPose(): CameraPose | undefined;
  flying(): boolean;
  loadedTiles(): number;
  errors(): string[];
  frames(): number;
  /** Resolves after the first frame with tile content (never, without a model). */
  firstTileFrame(): Promise<void>;
}

declare global {
  interface Window {
    __heritageTour?: HeritageTourHandle;
  }
}

const rankKeys: Record<HeritageSite['rank'], MessageKey> = {
  special_national: 'legend.heritage.special_national',
  national: 'legend.heritage.national',
  provincial: 'legend.heritage.provincial',
};

/**
 * One site's tour at /heritage/{code} (a QR code at the gate points here): the 3D model, the stops
 * with their narration (always on screen, read aloud on request), the info panel and "save for
 * offline". It needs no map: the page starts here rather than in the app shell, so a phone on one
 * bar of signal spends it on the tour.
 */
export async function startTourPage(root: HTMLElement, code: string, requested?: Promise<HeritageSite>): Promise<{ settled: Promise<void> }> {
  document.body.dataset.view = 'tour';
  const languageToggle = h('button', { type: 'button', className: 'language-toggle', 'data-i18n': 'language.toggle', 'data-i18n-label': 'language.toggleLabel', 'aria-label': t('language.toggleLabel') }, t('language.toggle'));
  languageToggle.addEventListener('click', () => setLanguage(getLanguage() === 'vi' ? 'en' : 'vi'));
  const siteName = h('h1', { className: 'tour-site-name' }, code);
  const stage = h('div', { className: 'tour-stage' });
  const panel = h('section', { className: 'tour-panel', 'aria-labelledby': 'tour-stop-title' });
  const status = h('p', { className: 'tour-status', role: 'status', 'aria-live': 'polite' });
  root.replaceChildren(
    h('header', { className: 'app-header tour-header' }, h('a', { className: 'tour-back', href: '/heritage' }, h('span', { 'aria-hidden': 'true' }, '‹'), h('span', { 'data-i18n': 'tour.back' }, t('tour.back'))), siteName, languageToggle),
    h('main', { className: 'tour-page' }, stage, panel),
  );
  replaceChildren(panel, h('p', { role: 'status' }, t('tour.loadingSite')));

  let site: HeritageSite;
  try {
    site = await (requested ?? loadHeritageSite(code));
  } catch (error) {
    const message = error instanceof ApiError && error.status === 404 ? t('tour.siteNotFound', { code }) : describeError(error);
    replaceChildren(panel, h('p', { role: 'alert', className: 'error' }, message), h('p', {}, h('a', { href: '/heritage' }, t('tour.back'))));
    return { settled: Promise.resolve() };
  }
  return { settled: new TourPage(site, { siteName, stage, panel, status }).settled };
}

interface TourElements {
  siteName: HTMLElement;
  stage: HTMLElement;
  panel: HTMLElement;
  status: HTMLElement;
}

class TourPage {
  private readonly stops: HeritageStop[];
  private index = 0;
  private scene: TourScene | undefined;
  /** Resolves with the first frame that drew tile content, whichever scene (a retry makes a new one) drew it. */
  private readonly firstTileFrame: Promise<void>;
  private resolveFirstTileFrame: () => void = () => undefined;
  /** The model is drawn, or will not be (no model, no WebGL, failed): what competes with it can start. */
  readonly settled: Promise<void>;
  private resolveSettled: () => void = () => undefined;
  private autoplay = false;
  private autoplayTimer: ReturnType<typeof setTimeout> | undefined;
  private reading = false;
  private saved: SavedTour | undefined;
  private saving: { done: number; total: number } | undefined;
  private saveError = false;
  /** The controls hint shows until the person first moves the model (or for 10 s). */
  private hintSeen = false;
  /** 'none': the site has no model (a site with one starts 'loading'). */
  private modelState: { kind: 'none' | 'loading' | 'ready' | 'no-webgl' | 'failed'; progress: number };
  private readonly illustrative = h('p', { className: 'tour-illustrative', 'data-i18n': 'tour.illustrative' });
  private readonly progress = h('div', { className: 'tour-progress' });
  private readonly message = h('div', { className: 'tour-message' });
  private readonly hint = h('p', { className: 'tour-hint', 'data-i18n': 'tour.controlsHint' });
  private readonly sceneContainer = h('div', { className: 'tour-scene' });
  private readonly counter = h('p', { className: 'tour-counter' });
  private readonly stopTitle = h('h2', { id: 'tour-stop-title', tabindex: '-1' });
  private readonly narration = h('p', { className: 'tour-narration' });
  private readonly previousButton = h('button', { type: 'button', className: 'secondary-button tour-previous' });
  private readonly nextButton = h('button', { type: 'button', className: 'primary-button tour-next' });
  private readonly autoplayButton = h('button', { type: 'button', className: 'secondary-button tour-autoplay', 'aria-pressed': 'false' });
  private readonly readButton = h('button', { type: 'button', className: 'secondary-button tour-read', 'aria-pressed': 'false', hidden: true });
  private readonly offlineSection = h('div', { className: 'tour-offline' });
  private readonly info = h('details', { className: 'tour-info' });

  constructor(
    private readonly site: HeritageSite,
    private readonly elements: TourElements,
  ) {
    this.stops = [...site.stops].sort((a, b) => a.ordinal - b.ordinal);
    this.firstTileFrame = new Promise<void>((resolve) => (this.resolveFirstTileFrame = resolve));
    this.settled = new Promise<void>((resolve) => (this.resolveSettled = resolve));
    void this.firstTileFrame.then(() => this.resolveSettled());
    const { stage, panel } = elements;
    this.modelState = { kind: site.tileset ? 'loading' : 'none', progress: 0 };
    this.illustrative.hidden = !site.tileset?.illustrative;
    replaceChildren(stage, this.sceneContainer, this.illustrative, this.progress, this.message, this.hint, elements.status);
    replaceChildren(
      panel,
      this.counter,
      // The narration region is polite: a screen reader reads each stop as the tour reaches it.
      h('div', { className: 'tour-narration-region', 'aria-live': 'polite', 'aria-atomic': 'true' }, this.stopTitle, this.narration),
      h('div', { className: 'button-row tour-controls' }, this.previousButton, this.autoplayButton, this.nextButton, this.readButton),
      this.offlineSection,
      this.info,
    );
    this.previousButton.addEventListener('click', () => this.step('previous'));
    this.nextButton.addEventListener('click', () => this.step('next'));
    this.autoplayButton.addEventListener('click', () => this.setAutoplay(!this.autoplay));
    this.readButton.addEventListener('click', () => this.setReading(!this.reading));
    onLanguageChange(() => this.renderAll());
    globalThis.speechSynthesis?.addEventListener?.('voiceschanged', () => this.renderControls());
    window.addEventListener('offline', () => this.announceConnection());
    window.addEventListener('online', () => this.announce(''));
    // On a wide screen the panel has room for the site's information from the start.
    this.info.open = globalThis.matchMedia?.('(min-width: 900px)').matches ?? false;
    this.exposeHandle();
    this.renderAll();
    void this.startScene();
    void this.refreshSaved();
    setTimeout(() => {
      this.hintSeen = true;
      this.renderStage();
    }, 10_000);
  }

  /** Offline: whether the tour plays from the saved copy, or only what has loaded so far. */
  private announceConnection() {
    if (navigator.onLine) return;
    const current = this.saved && this.saved.tilesetVersion === (this.site.tileset?.version ?? null);
    this.announce(t(current ? 'tour.offline' : 'tour.offlineUnsaved'));
  }

  private announce(message: string) {
    this.elements.status.textContent = message;
  }

  private get language(): Language {
    return getLanguage();
  }

  private exposeHandle() {
    window.__heritageTour = Object.freeze({
      code: this.site.code,
      stopIndex: () => this.index,
      stopCount: () => this.stops.length,
      cameraPose: () => this.scene?.cameraPose(),
      flying: () => this.scene?.flying() ?? false,
      loadedTiles: () => this.scene?.loadedTiles() ?? 0,
      errors: () => this.scene?.errors() ?? [],
      frames: () => this.scene?.frames() ?? 0,
      firstTileFrame: () => this.firstTileFrame,
    });
  }

  private async startScene() {
    this.scene?.dispose();
    this.scene = undefined;
    if (!this.site.tileset) {
      this.modelState = { kind: 'none', progress: 0 };
      this.renderStage();
      return;
    }
    this.modelState = { kind: 'loading', progress: 0 };
    this.renderStage();
    let module: Awaited<ReturnType<typeof loadTourScene>>;
    try {
      module = await loadTourScene();
    } catch {
      this.modelState = { kind: 'failed', progress: 0 };
      this.renderStage();
      return;
    }
    try {
      this.scene = module.createTourScene(this.sceneContainer, this.site, {
        onProgress: (progress, loading) => {
          if (this.modelState.kind === 'failed') return;
          this.modelState = { kind: loading ? 'loading' : 'ready', progress };
          this.renderStage();
        },
        onFatal: () => {
          this.modelState = { kind: 'failed', progress: 0 };
          this.renderStage();
        },
        onUserMove: () => {
          this.setAutoplay(false);
          this.hintSeen = true;
          this.renderStage();
        },
      });
    } catch (error) {
      this.modelState = { kind: error instanceof module.WebGlUnavailableError ? 'no-webgl' : 'failed', progress: 0 };
      this.renderStage();
      return;
    }
    void this.scene.firstTileFrame.then(() => this.resolveFirstTileFrame());
    const stop = this.stops[this.index];
    if (stop) void this.scene.flyTo(stop.camera, { instant: true });
  }

  private renderAll() {
    const name = localText(this.site.name, this.language);
    this.elements.siteName.textContent = name;
    document.title = t('tour.pageTitle', { name });
    translateDom(document.body);
    this.renderStage();
    this.renderStop();
    this.renderControls();
    this.renderOffline();
    this.renderInfo();
  }

  private renderStage() {
    const { kind, progress } = this.modelState;
    // Settled: drawn (firstTileFrame), or never to be drawn.
    if (kind === 'none' || kind === 'failed' || kind === 'no-webgl') this.resolveSettled();
    const canvas = this.sceneContainer.querySelector('canvas');
    canvas?.setAttribute('aria-label', t('tour.canvasLabel', { name: localText(this.site.name, this.language) }));
    canvas?.setAttribute('role', 'application');
    this.progress.hidden = kind !== 'loading';
    if (kind === 'loading') {
      const bar = h('progress', { max: '1', value: String(progress), 'aria-label': t('tour.loadingModel', { percent: '' }).replace(/[…\s]+$/, '') });
      replaceChildren(this.progress, h('span', {}, t('tour.loadingModel', { percent: formatPercent(progress) })), bar);
    }
    this.hint.hidden = this.hintSeen || (kind !== 'ready' && kind !== 'loading');
    const messageKey: MessageKey | undefined = kind === 'no-webgl' ? 'tour.noWebgl' : kind === 'failed' ? 'tour.tilesetFailed' : kind === 'none' ? 'tour.noModel' : undefined;
    this.message.hidden = !messageKey;
    if (messageKey) {
      const retry = kind === 'failed' ? h('button', { type: 'button', className: 'primary-button' }, t('tour.retry')) : null;
      retry?.addEventListener('click', () => void this.startScene());
      replaceChildren(this.message, h('p', { role: kind === 'none' ? null : 'alert', className: kind === 'none' ? 'muted' : 'error' }, t(messageKey)), retry);
    }
  }

  private renderStop() {
    const stop = this.stops[this.index];
    if (!stop) {
      this.counter.textContent = '';
      this.stopTitle.textContent = localText(this.site.name, this.language);
      this.narration.textContent = t('tour.noStops');
      return;
    }
    this.counter.textContent = t('tour.stopCounter', { index: this.index + 1, count: this.stops.length });
    this.stopTitle.textContent = localText(stop.title, this.language);
    this.narration.textContent = localText(stop.narration, this.language);
  }

  private renderControls() {
    const count = this.stops.length;
    this.previousButton.textContent = `‹ ${t('tour.previous')}`;
    this.nextButton.textContent = `${t('tour.next')} ›`;
    this.previousButton.disabled = this.index <= 0;
    this.nextButton.disabled = this.index >= count - 1;
    this.autoplayButton.disabled = count < 2;
    this.autoplayButton.setAttribute('aria-pressed', String(this.autoplay));
    this.autoplayButton.textContent = this.autoplay ? `❚❚ ${t('tour.pause')}` : `▶ ${t('tour.autoplay')}`;
    const voice = this.voice();
    this.readButton.hidden = !voice || count === 0;
    this.readButton.setAttribute('aria-pressed', String(this.reading));
    this.readButton.textContent = this.reading ? t('tour.stopReading') : t('tour.readAloud');
    if (!voice && this.reading) this.setReading(false);
  }

  private renderInfo() {
    const open = this.info.open;
    const hours = this.site.openingHours;
    const hoursText = hours ? openingHoursText(hours, this.language) : { text: t('tour.hoursUnknown') };
    replaceChildren(
      this.info,
      h('summary', {}, t('tour.info')),
      h(
        'dl',
        { className: 'facts tour-facts' },
        h('dt', {}, t('tour.rank')),
        h('dd', { className: 'tour-rank' }, t(rankKeys[this.site.rank])),
        h('dt', {}, t('tour.openingHours')),
        h('dd', { className: 'tour-hours', ...(hoursText.lang ? { lang: hoursText.lang } : {}) }, hoursText.text),
      ),
      h('p', { className: 'tour-description' }, localText(this.site.description, this.language)),
    );
    this.info.open = open;
  }

  // ---------------------------------------------------------------- stops, autoplay, reading aloud

  private step(direction: 'next' | 'previous') {
    this.goTo(stepStop(this.index, this.stops.length, direction));
  }

  private goTo(index: number, fromAutoplay = false) {
    if (!fromAutoplay) this.setAutoplay(false);
    if (index === this.index && fromAutoplay) return;
    this.index = index;
    this.renderStop();
    this.renderControls();
    const stop = this.stops[index];
    if (!stop) return;
    if (this.reading) this.speak(stop);
    const arrived = this.scene ? this.scene.flyTo(stop.camera) : Promise.resolve();
    if (this.autoplay) void arrived.then(() => this.scheduleAutoplay());
  }

  private setAutoplay(on: boolean) {
    if (this.autoplay === on) return;
    this.autoplay = on;
    clearTimeout(this.autoplayTimer);
    this.renderControls();
    if (!on) return;
    // From the last stop, autoplay starts the tour again.
    if (this.index >= this.stops.length - 1) this.goTo(0, true);
    else this.scheduleAutoplay();
  }

  private scheduleAutoplay() {
    clearTimeout(this.autoplayTimer);
    if (!this.autoplay) return;
    const stop = this.stops[this.index];
    if (!stop) return;
    const wait = dwellTime(localText(stop.narration, this.language));
    const advance = () => {
      if (!this.autoplay) return;
      // Let a narration being read aloud finish first.
      if (this.reading && globalThis.speechSynthesis?.speaking) {
        this.autoplayTimer = setTimeout(advance, 500);
        return;
      }
      if (this.index >= this.stops.length - 1) {
        this.setAutoplay(false);
        return;
      }
      this.goTo(this.index + 1, true);
    };
    this.autoplayTimer = setTimeout(advance, wait);
  }

  /** A voice for the page's language (vi-VN, or any English one), if the device has one. */
  private voice(): SpeechSynthesisVoice | undefined {
    const voices = globalThis.speechSynthesis?.getVoices?.() ?? [];
    const prefix = this.language === 'vi' ? 'vi' : 'en';
    return voices.find((voice) => voice.lang.toLowerCase().replace('_', '-').startsWith(prefix));
  }

  private setReading(on: boolean) {
    this.reading = on;
    if (on) {
      const stop = this.stops[this.index];
      if (stop) this.speak(stop);
    } else {
      globalThis.speechSynthesis?.cancel();
    }
    this.renderControls();
  }

  private speak(stop: HeritageStop) {
    const synthesis = globalThis.speechSynthesis;
    const voice = this.voice();
    if (!synthesis || !voice) return;
    synthesis.cancel();
    const utterance = new SpeechSynthesisUtterance(`${localText(stop.title, this.language)}. ${localText(stop.narration, this.language)}`);
    utterance.voice = voice;
    utterance.lang = voice.lang;
    synthesis.speak(utterance);
  }

  // ---------------------------------------------------------------- save for offline

  private async refreshSaved() {
    this.saved = await savedTour(this.site.code).catch(() => undefined);
    this.renderOffline();
    this.announceConnection();
  }

  private renderOffline() {
    const section = this.offlineSection;
    if (!offlineSaveSupported()) {
      replaceChildren(section, h('p', { className: 'muted' }, t('tour.saveUnsupported')));
      return;
    }
    if (this.saving) {
      const { done, total } = this.saving;
      replaceChildren(section, h('p', { role: 'status', className: 'tour-save-progress' }, t('tour.saving', { done, total })), h('progress', { max: String(Math.max(total, 1)), value: String(done) }));
      return;
    }
    const current = this.saved && this.saved.tilesetVersion === (this.site.tileset?.version ?? null);
    const save = h('button', { type: 'button', className: 'secondary-button tour-save' }, this.saved && !current ? t('tour.saveAgain') : t('tour.saveOffline'));
    save.addEventListener('click', () => void this.save());
    const remove = h('button', { type: 'button', className: 'link-button tour-forget' }, t('tour.removeSaved'));
    remove.addEventListener('click', async () => {
      await forgetSavedTour(this.site.code);
      this.saved = undefined;
      this.renderOffline();
    });
    replaceChildren(
      section,
      current ? h('p', { className: 'success tour-saved', role: 'status' }, t('tour.saved', { size: formatBytes(this.saved!.bytes) })) : null,
      this.saved && !current ? h('p', { className: 'warning' }, t('tour.savedOutdated')) : null,
      this.saveError ? h('p', { className: 'error', role: 'alert' }, t('tour.saveFailed')) : null,
      current ? null : save,
      this.saved ? remove : null,
    );
  }

  private async save() {
    this.saveError = false;
    this.saving = { done: 0, total: 1 };
    this.renderOffline();
    try {
      this.saved = await saveTourForOffline(this.site, {
        apiUrl: heritageSiteUrl(this.site.code),
        onProgress: (done, total) => {
          this.saving = { done, total };
          this.renderOffline();
        },
      });
    } catch (error) {
      console.error(error);
      this.saveError = true;
    }
    this.saving = undefined;
    this.renderOffline();
  }
}
