/**
 * "Pin here" from a search result: the view that can pin a place (the citizen's) registers how it
 * does; the search box offers the action only while one is registered. A tiny module of its own so
 * the search box and the views know nothing of each other.
 */
export type PinHandler = (lngLat: [number, number]) => void;

let handler: PinHandler | undefined;

/** Registers the current view's pin; returns the function that unregisters it (on leaving the view). */
export function registerSearchPin(pin: PinHandler): () => void {
  handler = pin;
  return () => {
    if (handler === pin) handler = undefined;
  };
}

export function searchPinHandler(): PinHandler | undefined {
  return handler;
}
