import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { TestServer } from '@bandoso/api/testing';
import { launchBrowser, newContext } from './browser.ts';
import { startBrowserPlatform } from './platform.ts';

export interface OpenedPage {
  page: Page;
  context: BrowserContext;
  /** Uncaught errors of the page (their stacks). */
  errors: string[];
  /** `console.error` lines, with where they came from. */
  consoleErrors: string[];
}

export interface BrowserPlatform {
  readonly platform: TestServer;
  readonly browser: Browser;
  /** A new context, closed after the file's tests. */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
  /** A page of a new context at `path`, with its errors collected. */
  openPage(path: string, options?: BrowserContextOptions): Promise<OpenedPage>;
}

/**
 * A browser test file's platform and Chromium: started before its tests (together), closed after
 * them with every context it opened. Call once at the top of a `describeInBrowser` body.
 */
export function useBrowserPlatform(environment: Record<string, string> = {}): BrowserPlatform {
  let platform: TestServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [platform, browser] = await Promise.all([startBrowserPlatform(environment), launchBrowser()]);
  }, 240_000);
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await platform?.close();
  });

  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the ${what} is not started yet (use it inside a test)`);
    return value;
  };
  const harness: BrowserPlatform = {
    get platform() {
      return started(platform, 'platform');
    },
    get browser() {
      return started(browser, 'browser');
    },
    async newContext(options = {}) {
      const context = await newContext(harness.browser, options);
      contexts.push(context);
      return context;
    },
    async openPage(path, options = {}) {
      const context = await harness.newContext(options);
      const page = await context.newPage();
      const errors: string[] = [];
      const consoleErrors: string[] = [];
      page.on('pageerror', (error) => errors.push(String(error.stack ?? error.message)));
      page.on('console', (message) => {
        if (message.type() === 'error') consoleErrors.push(`${message.text()} (${message.location().url})`);
      });
      await page.goto(`${harness.platform.baseUrl}${path}`);
      return { page, context, errors, consoleErrors };
    },
  };
  return harness;
}
