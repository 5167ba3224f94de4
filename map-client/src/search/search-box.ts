import type { Map as MapLibreMap } from 'maplibre-gl';
import { h } from '../app/dom.ts';
import { onLanguageChange, t } from '../app/i18n.ts';
import { MAX_QUERY_LENGTH } from './search-parts.ts';

export interface SearchBox {
  readonly element: HTMLElement;
  /** Connects the box to the map once there is one (the input is usable before). */
  attach(map: MapLibreMap): void;
}

let instances = 0;

/**
 * The search box of the header: a combobox (ARIA 1.2, list autocomplete) over `GET /api/search`.
 * The input is there from the start; what it does (search-combobox.ts) loads when it first gets the
 * focus, so the citizen entry carries only these few lines.
 */
export function createSearchBox(announce: (message: string) => void): SearchBox {
  const id = `search-${++instances}`;
  const listboxId = `${id}-listbox`;
  const input = h('input', {
    id: `${id}-input`,
    type: 'search',
    className: 'search-input',
    role: 'combobox',
    autocomplete: 'off',
    spellcheck: 'false',
    enterkeyhint: 'search',
    maxlength: MAX_QUERY_LENGTH,
    'aria-autocomplete': 'list',
    'aria-expanded': 'false',
    'aria-controls': listboxId,
    'data-i18n-label': 'search.label',
    'aria-label': t('search.label'),
    placeholder: t('search.placeholder'),
  });
  const listbox = h('ul', { id: listboxId, className: 'search-listbox', role: 'listbox', hidden: true, 'data-i18n-label': 'search.results', 'aria-label': t('search.results') });
  const chosenBar = h('div', { className: 'search-chosen', hidden: true });
  const element = h('div', { className: 'search-box', role: 'search' }, input, listbox, chosenBar);
  let map: MapLibreMap | undefined;
  let wiring: Promise<void> | undefined;
  const wire = () => {
    wiring ??= import('./search-combobox.ts')
      .then(({ wireSearchBox }) => wireSearchBox({ id, input, listbox, chosenBar, announce, getMap: () => map }))
      .catch(() => {
        wiring = undefined; // offline before it was cached: try again on the next focus
      });
  };
  input.addEventListener('focus', wire);
  onLanguageChange(() => {
    input.placeholder = t('search.placeholder');
  });
  return {
    element,
    attach(next) {
      map = next;
    },
  };
}
