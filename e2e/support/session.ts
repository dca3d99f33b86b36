import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { Browser } from 'playwright-core';
import { closeBrowser, launchBrowser } from './browser.ts';
import { startServer, type RunningServer } from './server.ts';

/**
 * One real server and one browser for the test file (or describe block) that calls this: started before its tests,
 * stopped after. Returns a function the tests call to reach both.
 */
export function useServerAndBrowser(): () => { base: string; browser: Browser } {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  after(async () => {
    await closeBrowser(browser);
    await server?.stop();
  });
  return () => {
    assert.ok(server !== undefined && browser !== undefined, 'The server and browser should have started');
    return { base: server.url, browser };
  };
}
