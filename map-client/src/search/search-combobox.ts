import type { SearchResponse, SearchResult } from '@bandoso/contracts';
import { Marker, type Map as MapLibreMap } from 'maplibre-gl';
import { fetchJson } from '../app/api-client.ts';
import { h, replaceChildren } from '../app/dom.ts';
import { isMessageKey, onLanguageChange, t } from '../app/i18n.ts';
import { searchPinHandler } from './search-pin.ts';
import { MAX_QUERY_LENGTH, type SearchBoxParts } from './search-parts.ts';

const DEBOUNCE_MS = 200;
const RESULT_LIMIT = 8;

/**
 * What the search box does (loaded when it first gets the focus, to keep the entry small): results
 * as the user types (debounced; an older request is aborted), arrow keys through the options, Enter
 * chooses (the first when none is active), Escape closes the list, then clears. Choosing flies the
 * map there and drops a temporary marker; in a view that can pin a place (the citizen's), "Pin here"
 * pins the report's place at the result.
 */
export function wireSearchBox({ id, input, listbox, chosenBar, announce, getMap }: SearchBoxParts): void {
  let results: SearchResult[] = [];
  let active = -1;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let request: AbortController | undefined;
  let marker: Marker | undefined;
  let chosen: SearchResult | undefined;

  const optionId = (index: number) => `${id}-option-${index}`;
  const kindLabel = (result: SearchResult) => {
    const key = `search.kind.${result.kind}`;
    return isMessageKey(key) ? t(key) : result.kind;
  };

  const setOpen = (open: boolean) => {
    listbox.hidden = !open;
    input.setAttribute('aria-expanded', String(open));
    if (!open) setActive(-1);
  };

  const setActive = (index: number) => {
    active = index;
    for (const [position, option] of [...listbox.children].entries()) option.setAttribute('aria-selected', String(position === index));
    if (index >= 0) {
      input.setAttribute('aria-activedescendant', optionId(index));
      listbox.children[index]?.scrollIntoView({ block: 'nearest' });
    } else input.removeAttribute('aria-activedescendant');
  };

  const render = (query: string) => {
    if (results.length === 0) {
      replaceChildren(listbox, h('li', { className: 'search-empty', role: 'option', 'aria-disabled': 'true', 'aria-selected': 'false', id: optionId(0) }, t('search.none', { query })));
    } else {
      replaceChildren(
        listbox,
        results.map((result, index) =>
          h(
            'li',
            { id: optionId(index), role: 'option', className: 'search-option', 'aria-selected': 'false', 'data-kind': result.kind },
            h('span', { className: 'search-option-name' }, result.name),
            h('span', { className: 'search-option-meta' }, [kindLabel(result), result.commune?.name].filter(Boolean).join(' · ')),
          ),
        ),
      );
    }
    setOpen(true);
    announce(results.length === 0 ? t('search.none', { query }) : t('search.count', { count: results.length }));
  };

  const runSearch = async (query: string) => {
    request?.abort();
    request = new AbortController();
    const parameters = new URLSearchParams({ q: query, limit: String(RESULT_LIMIT) });
    const map = getMap();
    if (map) {
      // Nearer to what the map shows first, among equally good matches.
      const centre = map.getCenter().wrap();
      parameters.set('lon', centre.lng.toFixed(5));
      parameters.set('lat', centre.lat.toFixed(5));
    }
    try {
      const answer = await fetchJson<SearchResponse>(`/api/search?${parameters}`, { signal: request.signal });
      if (input.value.trim() !== query) return;
      results = answer.results;
      render(query);
    } catch (error) {
      if ((error as Error).name === 'AbortError') return;
      results = [];
      replaceChildren(listbox, h('li', { className: 'search-empty error', role: 'option', 'aria-disabled': 'true', 'aria-selected': 'false', id: optionId(0) }, t('search.failed')));
      setOpen(true);
    }
  };

  const clearChosen = () => {
    chosen = undefined;
    marker?.remove();
    marker = undefined;
    chosenBar.hidden = true;
    chosenBar.replaceChildren();
  };

  const renderChosen = () => {
    const pin = searchPinHandler();
    if (!chosen) return;
    const result = chosen;
    const pinButton = pin
      ? h('button', { type: 'button', className: 'search-pin', 'data-i18n': 'search.pinHere' }, t('search.pinHere'))
      : null;
    pinButton?.addEventListener('click', () => {
      const current = searchPinHandler();
      clearChosen();
      current?.([result.point[0], result.point[1]]);
    });
    const closeButton = h('button', { type: 'button', className: 'search-chosen-close', 'data-i18n-label': 'search.clear', 'aria-label': t('search.clear') }, '×');
    closeButton.addEventListener('click', () => {
      clearChosen();
      input.focus();
    });
    replaceChildren(chosenBar, h('span', { className: 'search-chosen-name' }, result.name), pinButton, closeButton);
    chosenBar.hidden = false;
  };

  const choose = (index: number) => {
    const result = results[index];
    if (!result) return;
    setOpen(false);
    input.value = result.name;
    clearChosen();
    chosen = result;
    const map: MapLibreMap | undefined = getMap();
    if (map) {
      const [west, south, east, north] = result.bbox ?? [];
      if (result.bbox && west !== undefined && south !== undefined && east !== undefined && north !== undefined && (east > west || north > south)) {
        map.fitBounds([[west, south], [east, north]], { padding: 48, maxZoom: 17 });
      } else map.flyTo({ center: result.point, zoom: 16 });
      marker = new Marker({ color: '#b3261e', scale: 0.8 }).setLngLat(result.point).addTo(map);
      marker.getElement().setAttribute('aria-label', result.name);
      marker.getElement().classList.add('search-marker');
    }
    renderChosen();
    announce(t('search.flewTo', { name: result.name }));
  };

  input.addEventListener('input', () => {
    clearTimeout(timer);
    const query = input.value.trim().slice(0, MAX_QUERY_LENGTH);
    if (!query) {
      request?.abort();
      results = [];
      setOpen(false);
      return;
    }
    timer = setTimeout(() => void runSearch(query), DEBOUNCE_MS);
  });

  input.addEventListener('keydown', (event) => {
    const open = !listbox.hidden;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (results.length === 0) return;
      event.preventDefault();
      if (!open) setOpen(true);
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive(active < 0 && step < 0 ? results.length - 1 : (active + step + results.length) % results.length);
    } else if (event.key === 'Enter') {
      if (!open || results.length === 0) return;
      event.preventDefault();
      choose(active >= 0 ? active : 0);
    } else if (event.key === 'Escape') {
      if (open) {
        event.preventDefault();
        setOpen(false);
      } else if (input.value) {
        event.preventDefault();
        input.value = '';
        results = [];
        clearChosen();
      }
    }
  });

  // Mouse and touch: choose without taking the focus from the input first.
  listbox.addEventListener('mousedown', (event) => event.preventDefault());
  listbox.addEventListener('click', (event) => {
    const option = (event.target as HTMLElement).closest<HTMLElement>('[role="option"]');
    const index = option ? [...listbox.children].indexOf(option) : -1;
    if (index >= 0 && !option?.hasAttribute('aria-disabled')) choose(index);
  });
  input.addEventListener('blur', () => setOpen(false));
  input.addEventListener('focus', () => {
    if (results.length > 0 && input.value.trim()) setOpen(true);
  });

  onLanguageChange(() => {
    for (const [index, option] of [...listbox.querySelectorAll('.search-option-meta')].entries()) {
      const result = results[index];
      if (result) option.textContent = [kindLabel(result), result.commune?.name].filter(Boolean).join(' · ');
    }
    renderChosen();
  });

  // What was typed while this module loaded.
  if (input.value.trim()) input.dispatchEvent(new Event('input'));
}
