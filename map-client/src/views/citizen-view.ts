import { Marker, type MapMouseEvent } from 'maplibre-gl';
import { describeError, fetchJson } from '../app/api-client.ts';
import { h, replaceChildren } from '../app/dom.ts';
import { formatNumber, onLanguageChange, t } from '../app/i18n.ts';
import type { AppView, ViewContext } from './view.ts';

/** `GET /api/locate` (api/src/modules/boundaries). */
interface LocateResponse {
  province: { code: string; name: string } | null;
  commune: { code: string; name: string; level: string } | null;
  onBorderWith: { code: string; name: string }[];
}

type PlaceState = { status: 'idle' } | { status: 'loading'; lngLat: [number, number] } | { status: 'loaded'; lngLat: [number, number]; result: LocateResponse } | { status: 'failed'; lngLat: [number, number]; error: unknown };

/**
 * The citizen's map: tap a place, see which commune or ward it belongs to. Phase 2 of issue 5 grows
 * this into the report flow (the office that will answer, category, photos, nearby reports, the
 * offline queue in offline/report-queue.ts).
 */
export function enterCitizenView({ map, panel }: ViewContext): AppView {
  let state: PlaceState = { status: 'idle' };
  let marker: Marker | undefined;
  let request: AbortController | undefined;

  const render = () => {
    if (state.status === 'idle') {
      replaceChildren(panel, h('p', { className: 'hint' }, t('citizen.hint')));
      return;
    }
    const [lon, lat] = state.lngLat;
    const close = h('button', { type: 'button', className: 'dialog-close', 'aria-label': t('citizen.close') }, '×');
    close.addEventListener('click', () => {
      state = { status: 'idle' };
      marker?.remove();
      render();
    });
    const body =
      state.status === 'loading'
        ? h('p', { role: 'status' }, t('citizen.locating'))
        : state.status === 'failed'
          ? h('p', { role: 'alert', className: 'error' }, describeError(state.error))
          : h(
              'dl',
              { className: 'facts' },
              h('dt', {}, t('citizen.commune')),
              h('dd', { className: 'place-commune' }, state.result.commune?.name ?? '—'),
              h('dt', {}, t('citizen.province')),
              h('dd', {}, state.result.province?.name ?? '—'),
              state.result.onBorderWith.length ? h('dd', { className: 'muted' }, t('citizen.onBorder', { names: state.result.onBorderWith.map((unit) => unit.name).join(', ') })) : null,
            );
    replaceChildren(
      panel,
      h(
        'section',
        { className: 'place-card', 'aria-labelledby': 'place-title' },
        h('div', { className: 'dialog-header' }, h('h2', { id: 'place-title' }, t('citizen.placeTitle')), close),
        body,
        h('p', { className: 'muted' }, `${t('citizen.coordinates')}: ${formatNumber(lat, 5)}, ${formatNumber(lon, 5)}`),
        h('p', { className: 'muted' }, t('citizen.reportSoon')),
      ),
    );
  };

  const onClick = (event: MapMouseEvent) => {
    const lngLat: [number, number] = [event.lngLat.lng, event.lngLat.lat];
    request?.abort();
    request = new AbortController();
    state = { status: 'loading', lngLat };
    marker?.remove();
    marker = new Marker({ color: '#0b5d3b' }).setLngLat(lngLat).addTo(map);
    render();
    const signal = request.signal;
    fetchJson<LocateResponse>(`/api/locate?lon=${lngLat[0].toFixed(6)}&lat=${lngLat[1].toFixed(6)}`, { signal })
      .then((result) => {
        state = { status: 'loaded', lngLat, result };
      })
      .catch((error: unknown) => {
        if ((error as Error).name === 'AbortError') return;
        state = { status: 'failed', lngLat, error };
      })
      .finally(() => {
        if (!signal.aborted) render();
      });
  };

  map.on('click', onClick);
  const stopLanguage = onLanguageChange(render);
  render();
  return {
    id: 'citizen',
    leave() {
      request?.abort();
      map.off('click', onClick);
      marker?.remove();
      stopLanguage();
    },
  };
}
