import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkBundleBudget, formatBudgetReport } from '../tools/check-bundle-budget.ts';
import { staleReason } from '../tools/client-build.ts';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));

// The build is made once per run by scripts/src/e2e/client-build.global-setup.ts (with the browser
// tests, and always under CI); without it there is nothing to weigh.
describe.skipIf(!fs.existsSync(path.join(dist, 'build-manifest.json')) || staleReason() !== undefined)('the built client', () => {
  it('keeps the citizen entry within budget, and deck.gl, three.js and hls.js out of it', () => {
    const report = checkBundleBudget(dist);
    console.log(formatBudgetReport(report));
    expect(report.problems).toEqual([]);
    const lazy = report.chunks.filter((chunk) => chunk.role === 'lazy').map((chunk) => chunk.file);
    expect(lazy.some((file) => /ioc-dashboard/.test(file))).toBe(true);
    // The report screens and the photo preparation (exifr) load when used, not with the map.
    for (const name of ['report-form', 'report-detail', 'my-reports-screen', 'photo-preparation', 'lite.esm']) expect(lazy.some((file) => file.includes(name)), name).toBe(true);
    expect(lazy.some((file) => /planner-view/.test(file))).toBe(true);
  });

  it('loads three.js and 3d-tiles-renderer only with a heritage tour or the in-map layer, each within 250 kB gzip', () => {
    const report = checkBundleBudget(dist);
    expect(Object.keys(report.heritage3dGzipBytes).sort()).toEqual(['src/heritage/heritage-3d-layer.ts', 'src/heritage/tour-scene.ts']);
    for (const [module, bytes] of Object.entries(report.heritage3dGzipBytes)) {
      expect(bytes, module).toBeGreaterThan(50 * 1024);
      expect(bytes, module).toBeLessThanOrEqual(250 * 1024);
    }
    const lazy = report.chunks.filter((chunk) => chunk.role === 'lazy').map((chunk) => chunk.file);
    for (const name of ['tour-scene', 'heritage-view', 'heritage-3d-layer']) expect(lazy.some((file) => file.includes(name)), name).toBe(true);
    // The tour is its own page (tour.html), without MapLibre: a fraction of the map's entry.
    const tourPage = report.chunks.filter((chunk) => chunk.role === 'tour page').map((chunk) => chunk.file);
    expect(tourPage.some((file) => /heritage-tour-/.test(file))).toBe(true);
    expect(report.tourPageGzipBytes).toBeGreaterThan(10 * 1024);
    expect(report.tourPageGzipBytes).toBeLessThan(report.entryScriptGzipBytes / 4);
  });

  it('loads hls.js in a chunk of its own, only when a camera’s stream starts, within 180 kB gzip with the player', () => {
    const report = checkBundleBudget(dist);
    const hls = report.chunks.find((chunk) => chunk.file === report.hlsChunk);
    expect(hls?.role).toBe('lazy');
    expect(hls?.loadedBy).toMatch(/camera-player-/);
    expect(Object.keys(report.cameraPlayerGzipBytes).sort()).toEqual(['src/cameras/camera-panel.ts', 'src/cameras/video-wall.ts']);
    for (const [module, bytes] of Object.entries(report.cameraPlayerGzipBytes)) {
      // hls.js's light build and its worker are most of it.
      expect(bytes, module).toBeGreaterThan(100 * 1024);
      expect(bytes, module).toBeLessThanOrEqual(180 * 1024);
    }
    const lazy = report.chunks.filter((chunk) => chunk.role === 'lazy').map((chunk) => chunk.file);
    for (const name of ['camera-panel', 'video-wall', 'camera-player']) expect(lazy.some((file) => file.includes(name)), name).toBe(true);
  });

  it('loads the office desk and the admin console as chunks of their own, the desk within 40 kB gzip beyond the entry', () => {
    const report = checkBundleBudget(dist);
    expect(Object.keys(report.staffViewGzipBytes).sort()).toEqual(['src/views/admin-view.ts', 'src/views/office-view.ts']);
    const desk = report.staffViewGzipBytes['src/views/office-view.ts']!;
    expect(desk).toBeGreaterThan(0);
    expect(desk).toBeLessThanOrEqual(40 * 1024);
    const lazy = report.chunks.filter((chunk) => chunk.role === 'lazy').map((chunk) => chunk.file);
    expect(lazy.some((file) => /office-view/.test(file))).toBe(true);
    // The queue and the report page wait for sign-in, in a chunk of their own, as does the admin console.
    expect(lazy.some((file) => /office-desk-parts/.test(file))).toBe(true);
    expect(lazy.some((file) => /admin-console/.test(file))).toBe(true);
    expect(report.problems).toEqual([]);
    // The desk's words travel with it: the citizen entry does not carry them.
    const entry = report.chunks.filter((chunk) => chunk.role === 'entry script').map((chunk) => fs.readFileSync(path.join(dist, chunk.file), 'utf8')).join('\n');
    expect(entry).not.toContain('Bàn làm việc của cơ quan');
  });
});
