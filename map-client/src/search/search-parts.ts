import type { Map as MapLibreMap } from 'maplibre-gl';

/** The server refuses longer queries (400); no name is this long. */
export const MAX_QUERY_LENGTH = 200;

/** The elements of the box, for the part that brings them to life (search-combobox.ts). */
export interface SearchBoxParts {
  id: string;
  input: HTMLInputElement;
  listbox: HTMLUListElement;
  chosenBar: HTMLDivElement;
  announce(message: string): void;
  getMap(): MapLibreMap | undefined;
}
