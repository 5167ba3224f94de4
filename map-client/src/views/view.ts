import type { Map as MapLibreMap } from 'maplibre-gl';
import type { ClientConfig } from '../app/client-config.ts';
import type { LayerPanel } from '../app/layer-panel.ts';
import type { Announce } from '../app/status-toast.ts';

export type ViewId = 'citizen' | 'planning' | 'ioc' | 'heritage' | 'office' | 'admin';

export interface ViewContext {
  map: MapLibreMap;
  /** The view's own side panel (empty when the view starts). */
  panel: HTMLElement;
  layers: LayerPanel;
  config: ClientConfig;
  /** A short message in the status toast (polite live region, expires; a message key is re-translated). */
  announce: Announce;
}

/** A view is entered with the shared map and left when another opens: it undoes what it did. */
export interface AppView {
  readonly id: ViewId;
  leave(): void;
}

export const viewPaths: Readonly<Record<ViewId, string>> = Object.freeze({ citizen: '/', planning: '/planning', ioc: '/ioc', heritage: '/heritage', office: '/office', admin: '/admin' });

export function viewForPath(pathname: string): ViewId {
  if (pathname.startsWith('/planning')) return 'planning';
  if (pathname.startsWith('/ioc')) return 'ioc';
  // The office's desk (`/office`, a report's page `/office/reports/{id}`) and the admin console: staff only.
  if (pathname === '/office' || pathname.startsWith('/office/')) return 'office';
  if (pathname === '/admin' || pathname.startsWith('/admin/')) return 'admin';
  // /heritage is the list on the map; /heritage/{code}, a tour, is its own page (tour.html), and lands
  // here only when served by a build without one: the list, then.
  if (pathname === '/heritage' || pathname.startsWith('/heritage/')) return 'heritage';
  return 'citizen';
}

/**
 * Goes to another path of this page without reloading it: the app shell shows the view of the new
 * path (it listens to popstate, as for the browser's back button). `/ioc/cameras` is the IOC view
 * showing the video wall.
 */
/** A report's page on the office desk (the IOC opens it from the live list, the map and the overdue list). */
export function deskReportPath(reportId: string): string {
  return `/office/reports/${encodeURIComponent(reportId)}`;
}

export function navigateTo(path: string): void {
  if (`${location.pathname}${location.search}` === path) return;
  history.pushState(null, '', path);
  dispatchEvent(new PopStateEvent('popstate'));
}
