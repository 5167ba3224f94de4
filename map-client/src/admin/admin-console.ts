import './admin.css';
import { h, replaceChildren } from '../app/dom.ts';
import type { StaffUser } from '../ioc/staff-session.ts';
import { navigateTo } from '../views/view.ts';
import { at } from './admin-messages.ts';
import type { Section, SectionContext } from './admin-ui.ts';
import { createCalendarSection } from './calendar-section.ts';
import { createCategoriesSection, createPrioritiesSection } from './categories-section.ts';
import { createPartnersSection, createWebhooksSection } from './integrations-section.ts';
import { createUsersSection } from './users-section.ts';

export type SectionId = 'users' | 'categories' | 'priorities' | 'calendar' | 'partners' | 'webhooks';
export const sectionIds: readonly SectionId[] = ['users', 'categories', 'priorities', 'calendar', 'partners', 'webhooks'];

const factories: Readonly<Record<SectionId, (context: SectionContext) => Section>> = {
  users: createUsersSection,
  categories: createCategoriesSection,
  priorities: createPrioritiesSection,
  calendar: createCalendarSection,
  partners: createPartnersSection,
  webhooks: createWebhooksSection,
};

/** `/admin/calendar` → calendar; `/admin` and anything unknown → users. */
export function sectionForPath(pathname: string): SectionId {
  const name = pathname.replace(/^\/admin\/?/, '').split('/')[0] ?? '';
  return (sectionIds as readonly string[]).includes(name) ? (name as SectionId) : 'users';
}

export interface AdminConsole {
  section(): SectionId;
  loaded(): boolean;
  render(): void;
  destroy(): void;
}

/** A section link was followed: the next console puts the focus on its heading. */
let focusHeadingNext = false;

/**
 * The console: who is signed in, the sections (each its own path, so back and forward work), the
 * confirmation line and the current section. Moving to another section re-enters the view.
 */
export function mountAdminConsole(panel: HTMLElement, options: { user: StaffUser; announce(message: string): void; signOut(): Promise<void>; sessionEnded(): void }): AdminConsole {
  const id = sectionForPath(location.pathname);
  let notice: (() => string) | undefined;
  let destroyed = false;
  let loaded = false;
  const noticeLine = h('p', { className: 'admin-notice', role: 'status' });
  const showNotice = () => {
    noticeLine.textContent = notice ? `✓ ${notice()}` : '';
  };
  const context: SectionContext = {
    userId: options.user.id,
    notify(message) {
      notice = message;
      showNotice();
      options.announce(message());
    },
    sessionEnded: () => {
      if (!destroyed) options.sessionEnded();
    },
  };
  const section = factories[id](context);
  const sectionHost = h('div', { className: 'admin-content', id: 'admin-content' }, section.element);

  const navigation = () =>
    h(
      'nav',
      { className: 'admin-nav', 'aria-label': at('sections') },
      h(
        'ul',
        {},
        sectionIds.map((sectionId) => {
          const link = h('a', { href: `/admin/${sectionId}`, 'data-section': sectionId, 'aria-current': sectionId === id ? 'page' : undefined }, at(`section.${sectionId}`));
          link.addEventListener('click', (event) => {
            if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
            event.preventDefault();
            focusHeadingNext = true;
            navigateTo(`/admin/${sectionId}`);
          });
          return h('li', {}, link);
        }),
      ),
    );

  const frame = () => {
    const logout = h('button', { type: 'button', className: 'secondary-button' }, at('logout'));
    logout.addEventListener('click', () => void options.signOut());
    return [
      h('header', { className: 'admin-top' }, h('div', {}, h('h1', { className: 'admin-title' }, at('title')), h('p', { className: 'muted admin-user' }, at('signedInAs', { name: options.user.displayName }))), logout),
      navigation(),
    ];
  };

  const container = h('div', { className: 'admin-console', 'data-section': id });
  const renderAll = () => {
    replaceChildren(container, ...frame(), noticeLine, sectionHost);
    showNotice();
    section.render();
  };
  renderAll();
  replaceChildren(panel, container);
  panel.scrollTop = 0;
  void section.load().then(() => {
    loaded = true;
    section.element.dataset.ready = 'true';
    if (focusHeadingNext && !destroyed) section.element.querySelector<HTMLElement>('.admin-section-title')?.focus();
    focusHeadingNext = false;
  });

  return {
    section: () => id,
    loaded: () => loaded,
    render: renderAll,
    destroy() {
      destroyed = true;
    },
  };
}
