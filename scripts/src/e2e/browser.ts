import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions } from 'playwright-core';
import { describe, it } from 'vitest';
import { repositoryRoot } from '@bandoso/api/testing';

/**
 * Browser tests drive the system's Chromium (Debian's `chromium` package; `.ci/run` installs it)
 * through playwright-core, which downloads no browser of its own. Without Chromium the browser tests
 * are skipped with a plain message, except under CI=true, where a missing browser fails the run.
 */
const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/lib/chromium/chromium'].filter((item): item is string => Boolean(item));

export const chromiumPath: string | undefined = candidates.find((candidate) => fs.existsSync(candidate));
export const missingBrowserMessage = `Chromium not found (looked at ${candidates.join(', ')}). Install it with \`apt-get install chromium\` or set CHROMIUM_PATH.`;

/**
 * Flags: headless, no sandbox (CI runs as root), WebGL through ANGLE on SwiftShader (no GPU here;
 * MapLibre needs WebGL 2), and nothing that phones home (the machine has no network: background
 * services would only fail, many times over).
 */
export const chromiumArguments = [
  '--no-sandbox',
  '--use-gl=angle',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--ignore-gpu-blocklist',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--disable-default-apps',
  '--disable-extensions',
  '--no-first-run',
  '--no-default-browser-check',
  '--metrics-recording-only',
  '--mute-audio',
];

export async function launchBrowser(): Promise<Browser> {
  if (!chromiumPath) throw new Error(missingBrowserMessage);
  // A fresh temporary profile per launch (Playwright's default for launch()).
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArguments, timeout: 60_000 });
}

export const phoneViewport = { width: 390, height: 844 } as const;
export const desktopViewport = { width: 1280, height: 800 } as const;

/** A new, empty browser context (no cache, no service worker), Vietnamese, at a given size. */
export function newContext(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  return browser.newContext({ locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', viewport: desktopViewport, deviceScaleFactor: 1, ...options });
}

export const screenshotDirectory = path.join(repositoryRoot, 'test-results', 'screenshots');

export function screenshotPath(name: string): string {
  fs.mkdirSync(screenshotDirectory, { recursive: true });
  return path.join(screenshotDirectory, `${name}.png`);
}

let warned = false;

/**
 * `describe` for browser tests: runs when Chromium is there; otherwise says so and skips, or under
 * CI=true fails with the reason.
 */
export function describeInBrowser(name: string, body: () => void): void {
  if (chromiumPath) {
    describe(name, body);
    return;
  }
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs Chromium (CI=true: a missing browser fails the run)', () => {
        throw new Error(missingBrowserMessage);
      });
    });
    return;
  }
  if (!warned) {
    warned = true;
    console.warn(`\n[browser tests skipped] ${missingBrowserMessage}\n`);
  }
  describe.skip(name, body);
}
