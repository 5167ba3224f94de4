import type { Page } from 'playwright-core';

/** Page-side helpers for the browser tests: they run inside the page, against `window.bandoso.map`. */

/** Waits until the app has started and the given layers show at least `minimum` rendered features each. */
export async function waitForRenderedFeatures(page: Page, layers: string[], minimum = 1, timeout = 45_000): Promise<void> {
  await page.waitForFunction(
    ({ layers, minimum }) => {
      const map = (window as unknown as { bandoso?: { map: { queryRenderedFeatures(options: object): unknown[]; getLayer(id: string): unknown } } }).bandoso?.map;
      if (!map) return false;
      return layers.every((layer) => map.getLayer(layer) && map.queryRenderedFeatures({ layers: [layer] }).length >= minimum);
    },
    { layers, minimum },
    { timeout, polling: 100 },
  );
}

/** Rendered features of a layer, with their properties only. */
export async function renderedProperties(page: Page, layer: string): Promise<Record<string, unknown>[]> {
  return page.evaluate((layer) => {
    const map = (window as unknown as { bandoso: { map: { queryRenderedFeatures(options: object): { properties: Record<string, unknown> }[] } } }).bandoso.map;
    return map.queryRenderedFeatures({ layers: [layer] }).map((feature) => feature.properties);
  }, layer);
}

/** Waits until the map has finished loading and drawing (no tile or glyph pending). */
export async function waitForIdleMap(page: Page, timeout = 45_000): Promise<void> {
  await page.waitForFunction(
    () => {
      const map = (window as unknown as { bandoso?: { map: { loaded(): boolean; areTilesLoaded(): boolean; isMoving(): boolean } } }).bandoso?.map;
      return Boolean(map && map.loaded() && map.areTilesLoaded() && !map.isMoving());
    },
    undefined,
    { timeout, polling: 100 },
  );
  // One more frame so that what was loaded has been drawn.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

/** Moves the map at once (no animation), tilted and turned when asked. */
export async function jumpTo(page: Page, center: [number, number], zoom: number, tilt: { pitch?: number; bearing?: number } = {}): Promise<void> {
  await page.evaluate(({ center, zoom, tilt }) => {
    (window as unknown as { bandoso: { map: { jumpTo(options: object): void } } }).bandoso.map.jumpTo({ center, zoom, ...tilt });
  }, { center, zoom, tilt });
}

/** The screen position of a map coordinate, relative to the page. */
export async function screenPoint(page: Page, lngLat: [number, number]): Promise<{ x: number; y: number }> {
  return page.evaluate((lngLat) => {
    const map = (window as unknown as { bandoso: { map: { project(lngLat: [number, number]): { x: number; y: number }; getContainer(): HTMLElement } } }).bandoso.map;
    const point = map.project(lngLat);
    const box = map.getContainer().getBoundingClientRect();
    return { x: box.left + point.x, y: box.top + point.y };
  }, lngLat);
}

/**
 * Where to tap a place as a person would: moved to a third of the map's height first, clear of the
 * bottom sheet, the attribution and the floating buttons of a phone (the map's centre lies behind
 * the sheet there), then its point on screen.
 */
export async function tapPoint(page: Page, lngLat: [number, number]): Promise<{ x: number; y: number }> {
  await page.evaluate((lngLat) => {
    const map = (window as unknown as { bandoso: { map: { project(lngLat: [number, number]): { x: number; y: number }; getContainer(): HTMLElement; panBy(offset: [number, number], options: object): void } } }).bandoso.map;
    const point = map.project(lngLat);
    const container = map.getContainer();
    map.panBy([point.x - container.clientWidth / 2, point.y - container.clientHeight / 3], { duration: 0 });
  }, lngLat);
  await waitForIdleMap(page);
  return screenPoint(page, lngLat);
}

/** How many pixels differ between two PNG screenshots of the same size (decoded in the page). */
export async function countDifferentPixels(page: Page, before: Buffer, after: Buffer): Promise<number> {
  return page.evaluate(
    async ({ before, after }) => {
      const decode = async (base64: string) => {
        const bitmap = await createImageBitmap(await (await fetch(`data:image/png;base64,${base64}`)).blob());
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        const context = canvas.getContext('2d')!;
        context.drawImage(bitmap, 0, 0);
        return context.getImageData(0, 0, bitmap.width, bitmap.height).data;
      };
      const [a, b] = await Promise.all([decode(before), decode(after)]);
      let different = 0;
      for (let index = 0; index < a.length; index += 4) {
        if (Math.abs(a[index]! - b[index]!) + Math.abs(a[index + 1]! - b[index + 1]!) + Math.abs(a[index + 2]! - b[index + 2]!) > 48) different += 1;
      }
      return different;
    },
    { before: before.toString('base64'), after: after.toString('base64') },
  );
}
