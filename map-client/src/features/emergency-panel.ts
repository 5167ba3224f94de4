import { Marker, type Map as MapLibreMap } from 'maplibre-gl';
import { describeError, fetchJson } from '../app/api-client.ts';
import { h, replaceChildren } from '../app/dom.ts';
import { asMessage, formatDistance, getLanguage, i18nAttributes, onLanguageChange, setLanguage, t, type MessageKey } from '../app/i18n.ts';

type FacilityKind = 'police' | 'fire' | 'hospital' | 'clinic';

/** `GET /api/facilities/nearest` (api/src/modules/emergency). */
interface NearestFacilitiesResponse {
  kind: FacilityKind;
  hotline: string;
  facilities: {
    code: string;
    name: string;
    kind: FacilityKind;
    hotline: string;
    phone: string | null;
    address: string;
    location: { type: 'Point'; coordinates: [number, number] };
    distanceM: number;
  }[];
}

const hotlines: { number: '113' | '114' | '115'; labelKey: MessageKey }[] = [
  { number: '113', labelKey: 'emergency.call113' },
  { number: '114', labelKey: 'emergency.call114' },
  { number: '115', labelKey: 'emergency.call115' },
];
const kinds: FacilityKind[] = ['police', 'fire', 'hospital', 'clinic'];

interface Position {
  lon: number;
  lat: number;
  /** Metres; undefined when the map centre stands in for the person. */
  accuracy: number | undefined;
}

type NearestState = { status: 'locating' } | { status: 'loaded'; position: Position; results: (NearestFacilitiesResponse | Error)[] };

/**
 * The emergency button and its dialog. The hotlines are plain `tel:` links, shown at once and
 * working with no connection at all; the nearest police, fire and health stations follow from the
 * device position (or the map centre), with their distance.
 */
export function mountEmergencyPanel(host: HTMLElement, map: MapLibreMap): { open(): void } {
  const button = h('button', { type: 'button', className: 'emergency-button', 'aria-haspopup': 'dialog', 'data-i18n-label': 'emergency.buttonLabel', 'aria-label': t('emergency.buttonLabel') }, h('span', { className: 'emergency-icon', 'aria-hidden': 'true' }, 'SOS'), h('span', { 'data-i18n': 'emergency.button' }, t('emergency.button')));
  const dialog = h('dialog', { className: 'emergency-dialog', 'aria-labelledby': 'emergency-title' });
  host.append(button, dialog);

  let state: NearestState = { status: 'locating' };
  let marker: Marker | undefined;
  // Only this part changes when the stations arrive: the rest (and the focus in it) stays put.
  const nearestContainer = h('div', { className: 'nearest-container', 'aria-live': 'polite' });

  const render = () => {
    const close = h('button', { type: 'button', className: 'dialog-close', 'data-i18n-label': 'emergency.close', 'aria-label': t('emergency.close') }, '×');
    close.addEventListener('click', () => dialog.close());
    // The page behind a modal dialog is inert: the language can be switched from the dialog itself.
    const language = h('button', { type: 'button', className: 'dialog-language', 'data-i18n': 'language.toggle', 'data-i18n-label': 'language.toggleLabel', 'aria-label': t('language.toggleLabel') }, t('language.toggle'));
    language.addEventListener('click', switchLanguage);
    replaceChildren(
      dialog,
      h('div', { className: 'dialog-header' }, h('h2', { id: 'emergency-title', ...i18nAttributes('emergency.title') }, t('emergency.title')), h('div', { className: 'dialog-header-actions' }, language, close)),
      h(
        'ul',
        { className: 'hotlines' },
        hotlines.map((line) =>
          h(
            'li',
            {},
            h(
              'a',
              {
                className: `hotline hotline-${line.number}`,
                href: `tel:${line.number}`,
                'aria-label': t('emergency.callLabel', { number: line.number, service: t(line.labelKey) }),
                'data-i18n-label': 'emergency.callLabel',
                'data-i18n-params': JSON.stringify({ number: line.number, service: asMessage(line.labelKey) }),
              },
              h('strong', {}, line.number),
              h('span', i18nAttributes(line.labelKey), t(line.labelKey)),
            ),
          ),
        ),
      ),
      h('h3', i18nAttributes('emergency.nearestTitle'), t('emergency.nearestTitle')),
      nearestContainer,
    );
    replaceChildren(nearestContainer, renderNearest());
  };

  const renderNearest = (): HTMLElement => {
    if (state.status === 'locating') return h('p', { className: 'muted', role: 'status', ...i18nAttributes('emergency.locating') }, t('emergency.locating'));
    const { position, results } = state;
    const source =
      position.accuracy === undefined ? t('emergency.usingMapCentre') : t('emergency.usingDevice', { accuracy: formatDistance(position.accuracy) });
    return h(
      'div',
      { className: 'nearest' },
      h('p', { className: 'muted' }, source),
      h(
        'ul',
        { className: 'facility-list' },
        results.map((result, index) => {
          const kind = kinds[index]!;
          const title = t(`emergency.kind.${kind}`);
          if (result instanceof Error) return h('li', { className: 'facility facility-error' }, h('h4', {}, title), h('p', { role: 'alert' }, describeError(result)));
          const facility = result.facilities[0];
          if (!facility) return h('li', { className: 'facility' }, h('h4', {}, title), h('p', {}, t('emergency.noneFound')));
          const show = h('button', { type: 'button', className: 'link-button' }, t('emergency.showOnMap'));
          show.addEventListener('click', () => {
            dialog.close();
            marker?.remove();
            marker = new Marker({ color: '#c62828' }).setLngLat(facility.location.coordinates).addTo(map);
            map.flyTo({ center: facility.location.coordinates, zoom: Math.max(map.getZoom(), 14) });
          });
          return h(
            'li',
            { className: `facility facility-${kind}`, 'data-code': facility.code },
            h('h4', {}, title),
            h('p', { className: 'facility-name' }, facility.name),
            h('p', { className: 'facility-distance' }, t('emergency.distance', { distance: formatDistance(facility.distanceM) })),
            h('p', { className: 'facility-address muted' }, facility.address),
            h(
              'p',
              { className: 'facility-actions' },
              h('a', { href: `tel:${facility.hotline}`, className: 'call-link' }, t('emergency.callPhone', { phone: facility.hotline })),
              facility.phone ? h('a', { href: `tel:${facility.phone.replace(/\s+/g, '')}`, className: 'call-link secondary' }, t('emergency.callPhone', { phone: facility.phone })) : null,
              show,
            ),
          );
        }),
      ),
    );
  };

  const open = () => {
    state = { status: 'locating' };
    render();
    if (!dialog.open) dialog.showModal();
    dialog.querySelector<HTMLElement>('.hotline')?.focus();
    void locate(map).then(async (position) => {
      const results = await Promise.all(
        kinds.map((kind) =>
          fetchJson<NearestFacilitiesResponse>(`/api/facilities/nearest?lon=${position.lon.toFixed(6)}&lat=${position.lat.toFixed(6)}&kind=${kind}&limit=1`).catch((error: unknown) =>
            error instanceof Error ? error : new Error(String(error)),
          ),
        ),
      );
      state = { status: 'loaded', position, results };
      if (dialog.open) replaceChildren(nearestContainer, renderNearest());
    });
  };

  button.addEventListener('click', open);
  dialog.addEventListener('close', () => button.focus());
  // A click on the backdrop closes, as people expect of a sheet; one on the header's language button
  // (seen through the backdrop) switches the language, and the dialog stays open.
  dialog.addEventListener('click', (event) => {
    if (event.target !== dialog) return;
    const inside = (box: DOMRect) => event.clientX >= box.left && event.clientX <= box.right && event.clientY >= box.top && event.clientY <= box.bottom;
    if (inside(dialog.getBoundingClientRect())) return;
    const headerLanguage = document.querySelector<HTMLElement>('.app-header .language-toggle');
    if (headerLanguage && inside(headerLanguage.getBoundingClientRect())) return switchLanguage();
    dialog.close();
  });
  // Open across a switch: translated in place (translateDom fills the marked text; distances are redrawn), focus kept.
  onLanguageChange(() => {
    if (!dialog.open) return;
    const focused = document.activeElement;
    const focusedNumber = focused?.getAttribute('href');
    const onLanguage = focused?.classList.contains('dialog-language');
    render();
    if (focusedNumber) dialog.querySelector<HTMLElement>(`[href="${focusedNumber}"]`)?.focus();
    else if (onLanguage) dialog.querySelector<HTMLElement>('.dialog-language')?.focus();
  });
  return { open };
}

function switchLanguage(): void {
  setLanguage(getLanguage() === 'vi' ? 'en' : 'vi');
}

/** The device position if the person allows it within a few seconds, else the map centre. */
function locate(map: MapLibreMap): Promise<Position> {
  const fallback = (): Position => {
    const centre = map.getCenter();
    return { lon: centre.lng, lat: centre.lat, accuracy: undefined };
  };
  if (!('geolocation' in navigator)) return Promise.resolve(fallback());
  return new Promise((resolve) => {
    navigator.geolocation.getCurrentPosition(
      (position) => resolve({ lon: position.coords.longitude, lat: position.coords.latitude, accuracy: position.coords.accuracy }),
      () => resolve(fallback()),
      { enableHighAccuracy: true, timeout: 6000, maximumAge: 60_000 },
    );
  });
}
