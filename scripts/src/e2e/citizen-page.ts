import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { withExif } from '../../../map-client/src/photos/exif-writer.ts';
import { jumpTo, screenPoint, waitForIdleMap, waitForRenderedFeatures } from './map-page.ts';

/** Helpers for the citizen report flow in the browser tests. */

/**
 * Moves the map to a place and clicks it there, as a person would (the pin goes there). On the citizen
 * map a click on something already there (a report another test pinned at the same point, a heritage
 * site) shows what was tapped first; the person then chooses "report a new problem here", as here.
 */
export async function clickMapAt(page: Page, lngLat: [number, number], zoom = 16): Promise<void> {
  await waitForRenderedFeatures(page, ['boundaries-commune-fill']);
  await jumpTo(page, lngLat, zoom);
  await waitForIdleMap(page);
  const point = await screenPoint(page, lngLat);
  await page.mouse.click(point.x, point.y);
  // Only the citizen's map (at /) pins a place; the other views answer a click their own way.
  if (new URL(page.url()).pathname !== '/') return;
  const placeCard = page.locator('.place-card');
  const pickCard = page.locator('.map-pick-report-here');
  await placeCard.or(pickCard).first().waitFor({ timeout: 30_000 });
  if (await pickCard.isVisible()) {
    await pickCard.click();
    await placeCard.waitFor({ timeout: 30_000 });
  }
}

/** From the place card: "report a problem here", then waits until the categories are in the form. */
export async function openReportForm(page: Page): Promise<void> {
  await page.locator('.report-here:not([disabled])').click({ timeout: 30_000 });
  await page.locator('#report-category option[value="public_lighting"]').waitFor({ state: 'attached', timeout: 30_000 });
}

/** Chooses a category and writes the description. */
export async function fillReport(page: Page, description: string, category = 'public_lighting'): Promise<void> {
  await page.selectOption('#report-category', category);
  await page.fill('#report-description', description);
}

/** The tracking code the page shows once the report is sent. */
export async function waitForTrackingCode(page: Page, timeout = 60_000): Promise<string> {
  const code = page.locator('.tracking-code');
  await code.waitFor({ timeout });
  return (await code.getAttribute('data-tracking-code'))!;
}

/** EXIF date-time in Vietnam time: 'YYYY:MM:DD HH:MM:SS'. */
export function vietnamExifTime(date: Date): string {
  return new Date(date.getTime() + 7 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ').replace(/-/g, ':');
}

/**
 * A phone-camera-like JPEG: 3000 × 2000 with noise (so that it is several MB and must be downscaled
 * in the browser), with the EXIF GPS position and capture time of a photo taken here, now.
 */
export async function cameraJpeg(lngLat: [number, number], takenAt: Date): Promise<Buffer> {
  const pixels = await sharp({ create: { width: 3000, height: 2000, channels: 3, background: '#6b8e5a', noise: { type: 'gaussian', mean: 110, sigma: 25 } } })
    .jpeg({ quality: 80 })
    .toBuffer();
  const withEvidence = withExif(new Uint8Array(pixels), {
    latitude: lngLat[1],
    longitude: lngLat[0],
    dateTimeOriginal: vietnamExifTime(takenAt),
    offsetTimeOriginal: '+07:00',
    gpsDateStamp: undefined,
    gpsTimeStamp: undefined,
  });
  return Buffer.from(withEvidence);
}
