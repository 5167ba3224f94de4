import './map-pick.css';
import { Popup, type Map as MapLibreMap } from 'maplibre-gl';
import { h } from '../app/dom.ts';
import { asLocalized, i18nAttributes, localized, msg, t, type MessageKey } from '../app/i18n.ts';
import { openCameraPanel } from '../cameras/camera-loaders.ts';
import { tourPath } from '../heritage/heritage-api.ts';
import type { MapPick } from '../map/map-pick.ts';
import { cameraSummaryOf, keepCameraInView } from '../overlays/cameras-overlay.ts';
import type { HeritageSiteHit } from '../overlays/heritage-overlay.ts';

export interface MapPickActions {
  /** "Report a new problem here": pin the tapped place (with the heritage site it is on, if any). */
  reportHere(lngLat: [number, number], heritage?: HeritageSiteHit): void;
  openReport(trackingCode: string): void;
  announce(message: string): void;
}

export interface MapPickCard {
  close(): void;
  /** Still on the map (not closed by ×, Escape or one of its actions). */
  readonly open: boolean;
}

const heritageRanks: Record<string, MessageKey> = {
  special_national: 'legend.heritage.special_national',
  national: 'legend.heritage.national',
  provincial: 'legend.heritage.provincial',
};
const facilityKinds: Record<string, MessageKey> = { police: 'legend.facility.police', fire: 'legend.facility.fire', hospital: 'legend.facility.hospital', clinic: 'legend.facility.clinic' };

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() ? value : undefined);

/** Pans the map so that the place sits below its card and above whatever covers the map's bottom. */
function keepCardInView(map: MapLibreMap, place: [number, number], card: HTMLElement): void {
  const padding = map.getPadding();
  const height = map.getContainer().clientHeight;
  const point = map.project(place);
  const highest = (padding.top ?? 0) + card.getBoundingClientRect().height + 24;
  const lowest = height - (padding.bottom ?? 0) - 16;
  const target = lowest < highest ? lowest : Math.min(Math.max(point.y, highest), lowest);
  if (Math.abs(target - point.y) > 1) map.panBy([0, point.y - target], { duration: 250 });
}

/** The heritage site a pick describes (its tile properties), as the place card shows it. */
export function heritageOfPick(pick: MapPick): HeritageSiteHit | undefined {
  if (pick.kind !== 'heritage') return undefined;
  const vi = text(pick.properties.name_vi) ?? pick.id;
  return { code: pick.id, name: { vi, en: text(pick.properties.name_en) ?? vi }, hasModel: pick.properties.has_3d === true || Boolean(text(pick.properties.tileset)) };
}

/**
 * What a tap on the platform's own layers shows first (map/map-pick.ts says what was tapped): each
 * place with its name, what it is and its own actions (a report: view it; a heritage site: its tour; a
 * facility: call it; a camera: watch it; a planning zone: its limits and the planning view), and
 * always "report a new problem here", so that a spot with a pin or a relic can still be reported.
 * A small card at the tapped point (MapLibre's popup); Escape or × closes it.
 */
export function openMapPickCard(map: MapLibreMap, tapped: [number, number], picks: readonly MapPick[], actions: MapPickActions): MapPickCard {
  const heritage = picks.map(heritageOfPick).find((site) => site !== undefined);
  let popup: Popup | undefined;
  const close = () => {
    popup?.remove();
    popup = undefined;
  };
  const button = (className: string, key: MessageKey, params: Record<string, string> | undefined, onClick: () => void) => {
    const element = h('button', { type: 'button', className }, msg(key, params));
    element.addEventListener('click', () => {
      close();
      onClick();
    });
    return element;
  };

  const item = (pick: MapPick): HTMLElement | null => {
    const section = (kind: HTMLElement, name: HTMLElement | string, ...rest: (HTMLElement | null)[]) =>
      h('section', { className: 'map-pick-item', 'data-kind': pick.kind, 'data-id': pick.id }, h('p', { className: 'map-pick-kind' }, kind), h('h3', { className: 'map-pick-name' }, name), ...rest);
    switch (pick.kind) {
      case 'report': {
        const status = text(pick.properties.status);
        return section(
          msg('pick.report'),
          pick.id,
          status ? msg(`status.${status}` as MessageKey, undefined, 'p') : null,
          button('secondary-button map-pick-open-report', 'pick.openReport', { code: pick.id }, () => actions.openReport(pick.id)),
        );
      }
      case 'heritage': {
        const site = heritageOfPick(pick)!;
        const rank = heritageRanks[text(pick.properties.rank) ?? ''] ?? 'pick.heritage';
        const linkKey = site.hasModel ? 'heritage.openTour' : 'heritage.openSite';
        const name = { name: asLocalized(site.name) };
        const link = h('a', { className: 'secondary-button heritage-tour-link', href: tourPath(site.code), ...i18nAttributes(linkKey, name) }, t(linkKey, name));
        return section(msg(rank), localized(site.name), link);
      }
      case 'facility': {
        const name = text(pick.properties.name) ?? pick.id;
        const phones = [text(pick.properties.hotline), text(pick.properties.phone)].filter((phone): phone is string => phone !== undefined);
        return section(
          msg(facilityKinds[text(pick.properties.kind) ?? ''] ?? 'pick.facility'),
          name,
          text(pick.properties.address) ? h('p', { className: 'muted' }, text(pick.properties.address)!) : null,
          ...[...new Set(phones)].map((phone) => h('a', { className: 'secondary-button map-pick-call', href: `tel:${phone.replace(/[^\d+]/g, '')}`, ...i18nAttributes('pick.call', { phone }) }, t('pick.call', { phone }))),
        );
      }
      case 'camera': {
        const camera = cameraSummaryOf(pick.properties);
        if (!camera) return null;
        return section(
          msg('layers.cameras'),
          camera.name,
          button('secondary-button map-pick-watch', 'pick.watchCamera', undefined, () => {
            openCameraPanel(camera, { onError: () => actions.announce(t('camera.openFailed')) });
            keepCameraInView(map, pick.lngLat);
          }),
        );
      }
      case 'zone': {
        const landUse = text(pick.properties.land_use_code);
        const floors = typeof pick.properties.max_floors === 'number' ? pick.properties.max_floors : undefined;
        const details = h('a', { className: 'secondary-button map-pick-zone-details', href: '/planning', ...i18nAttributes('pick.zoneDetails') }, t('pick.zoneDetails'));
        return section(
          msg('pick.zone', { code: pick.id }),
          landUse ? msg(`landUse.${landUse}` as MessageKey) : (text(pick.properties.land_use_name) ?? pick.id),
          floors !== undefined ? msg('pick.zoneFloors', { floors: String(floors) }, 'p') : null,
          details,
        );
      }
      case 'cluster':
        return null;
    }
  };

  const closeButton = h('button', { type: 'button', className: 'dialog-close map-pick-close', 'data-i18n-label': 'citizen.close', 'aria-label': t('citizen.close') }, '×');
  closeButton.addEventListener('click', close);
  const items = picks.slice(0, 4).map(item).filter((element): element is HTMLElement => element !== null);
  const reportHere = button('primary-button map-pick-report-here', 'pick.reportNew', undefined, () => actions.reportHere(tapped, heritage));
  const card = h(
    'div',
    { className: 'map-pick', role: 'dialog', 'aria-labelledby': 'map-pick-title' },
    h('div', { className: 'map-pick-header' }, h('h2', { id: 'map-pick-title', ...i18nAttributes('pick.title') }, t('pick.title')), closeButton),
    items,
    reportHere,
  );
  card.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') close();
  });

  // The card stands above the place. MapLibre fits a popup in the map's box, but panels cover part of
  // the map (the bottom sheet on a phone: the map's padding says how much), so the map moves the
  // place to where the card and the place are both in the part that shows.
  popup = new Popup({ closeButton: false, closeOnClick: false, anchor: 'bottom', maxWidth: '300px', focusAfterOpen: false, className: 'map-pick-popup' }).setLngLat(tapped).setDOMContent(card).addTo(map);
  popup.on('close', () => (popup = undefined));
  keepCardInView(map, tapped, card);
  (card.querySelector<HTMLElement>('.map-pick-item button, .map-pick-item a') ?? reportHere).focus({ preventScroll: true });
  return {
    close,
    get open() {
      return popup !== undefined;
    },
  };
}
