import './status-toast.css';
import { h } from './dom.ts';
import { i18nAttributes, t, type MessageKey, type ParameterValue } from './i18n.ts';

/**
 * The page's status messages (toasts): what just happened, said politely (a live region), over the
 * map rather than over a panel's content, and gone after a while: long enough to read (longer for
 * what matters more and for long messages), held while the pointer or the focus is on it, and
 * dismissible at any time. Several may show at once (a report sent while the map reloads after a
 * lost connection), newest last, at most `maxShown`; the same message again refreshes the one shown.
 * A message given by key is marked for translation, so it changes language with the rest of the
 * page; a plain string (from code that already translated it) is shown as it is.
 *
 * The app shell creates it (`createStatusToast`) and hands `announce` to the views; code outside a
 * view (the report queue sending in the background) reaches it with the module's `announce`.
 */

/** What a message is: it sets how long it stays and how it looks. */
export type StatusKind = 'info' | 'success' | 'warning' | 'error';

/** A message by key, translated now and again when the language changes. */
export interface StatusMessage {
  key: MessageKey;
  params?: Readonly<Record<string, ParameterValue>>;
}

export type Announcement = string | StatusMessage;

/** Shows a message in the status toasts. */
export type Announce = (message: Announcement, kind?: StatusKind) => void;

/** How long each kind stays at least (ms); longer messages stay longer (see `durationFor`). */
export const statusDurationsMs: Readonly<Record<StatusKind, number>> = { info: 5_000, success: 8_000, warning: 10_000, error: 12_000 };
const maxShown = 3;
const rank: Readonly<Record<StatusKind, number>> = { info: 0, success: 1, warning: 2, error: 3 };

/** The time to read a message: the kind's minimum, or about 4 words a second plus a second, up to 20 s. */
export function durationFor(kind: StatusKind, text: string): number {
  const words = text.trim().split(/\s+/).filter(Boolean).length;
  return Math.min(20_000, Math.max(statusDurationsMs[kind], 1_000 + words * 250));
}

export interface StatusToast {
  readonly element: HTMLElement;
  announce: Announce;
  /** Hides every message now. */
  dismissAll(): void;
}

interface Shown {
  item: HTMLElement;
  identity: string;
  kind: StatusKind;
  remainingMs: number;
  startedAt: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  held: boolean;
}

export function createStatusToast(): StatusToast {
  // The live region stays in the page (text added with a new region is not always read out); the
  // messages come and go inside it.
  const element = h('div', { className: 'status-toasts', role: 'status', 'aria-live': 'polite' });
  let shown: Shown[] = [];

  const stop = (entry: Shown) => {
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = undefined;
  };
  const start = (entry: Shown) => {
    stop(entry);
    if (entry.held) return;
    entry.startedAt = Date.now();
    entry.timer = setTimeout(() => remove(entry), entry.remainingMs);
  };
  const remove = (entry: Shown) => {
    stop(entry);
    entry.item.remove();
    shown = shown.filter((other) => other !== entry);
  };

  const announce: Announce = (message, kind = 'info') => {
    if (typeof message === 'string' && !message) return;
    const identity = typeof message === 'string' ? message : JSON.stringify([message.key, message.params ?? {}]);
    const again = shown.find((entry) => entry.identity === identity);
    if (again) remove(again);

    const text =
      typeof message === 'string'
        ? h('p', { className: 'status-toast-text' }, message)
        : h('p', { className: 'status-toast-text', ...i18nAttributes(message.key, message.params) }, (t as (key: MessageKey, params: Readonly<Record<string, ParameterValue>>) => string)(message.key, message.params ?? {}));
    const close = h('button', { type: 'button', className: 'status-toast-close', 'data-i18n-label': 'status.dismiss', 'aria-label': t('status.dismiss') }, '×');
    const item = h('div', { className: 'status-toast', 'data-kind': kind }, text, close);
    const entry: Shown = { item, identity, kind, remainingMs: durationFor(kind, text.textContent ?? ''), startedAt: 0, timer: undefined, held: false };

    // Reading it, pointing at it or tabbing to its button holds it (WCAG 2.2.1: timing adjustable).
    const hold = () => {
      if (entry.timer) entry.remainingMs = Math.max(2_000, entry.remainingMs - (Date.now() - entry.startedAt));
      entry.held = true;
      stop(entry);
    };
    const release = () => {
      entry.held = item.matches(':hover') || item.contains(document.activeElement);
      start(entry);
    };
    item.addEventListener('pointerenter', hold);
    item.addEventListener('pointerleave', release);
    item.addEventListener('focusin', hold);
    item.addEventListener('focusout', () => setTimeout(release));
    item.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') remove(entry);
    });
    close.addEventListener('click', () => remove(entry));

    // Too many: the least important of the older ones goes first.
    while (shown.length >= maxShown) {
      const least = shown.reduce((lowest, other) => (rank[other.kind] < rank[lowest.kind] ? other : lowest));
      remove(least);
    }
    shown.push(entry);
    element.append(item);
    start(entry);
  };

  const toast: StatusToast = {
    element,
    announce,
    dismissAll() {
      for (const entry of [...shown]) remove(entry);
    },
  };
  current = toast;
  return toast;
}

let current: StatusToast | undefined;

/** Announces in the page's status toasts (for code that no view hands `announce` to); nothing before the shell made them. */
export const announce: Announce = (message, kind) => current?.announce(message, kind);
