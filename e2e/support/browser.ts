/**
 * Chromium for browser tests (Debian's, never a downloaded one), axe on every page, and the keyboard helpers
 * the journeys are written with. Locators are only used to check where focus is and what the page says.
 */
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, CDPSession, Locator, Page, Response } from 'playwright-core';
import { launchChromium } from '../../src/core/chromium.ts';

export const DESKTOP = { width: 1280, height: 800 } as const;
export const PHONE = { width: 390, height: 844 } as const;

/** WCAG 2.2 AA as axe knows it (A and AA rules of 2.0, 2.1 and 2.2). */
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** Generous enough for a slow, shared CI machine; short enough that a missing element fails quickly. */
const ACTION_TIMEOUT_MS = 15_000;
const NAVIGATION_TIMEOUT_MS = 30_000;

export async function launchBrowser(): Promise<Browser> {
  return launchChromium(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium');
}

export async function closeBrowser(browser: Browser | undefined): Promise<void> {
  await browser?.close();
}

/** A fresh browser profile (no cookies) with one page at the given size. */
export async function newPage(browser: Browser, viewport: { width: number; height: number } = DESKTOP): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, locale: 'en-GB', timezoneId: 'Europe/London' });
  context.setDefaultTimeout(ACTION_TIMEOUT_MS);
  context.setDefaultNavigationTimeout(NAVIGATION_TIMEOUT_MS);
  const page = await context.newPage();
  return { context, page };
}

/** axe's findings on the page as it is now, one paragraph per rule with its help and the selectors it flagged. */
export async function accessibilityProblems(page: Page, label: string): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  return results.violations.map((v) => {
    const targets = v.nodes.map((n) => `      ${n.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : t)).join(' ')}`);
    return `axe on ${label} (${page.url()}): ${v.id} (${v.impact ?? 'unknown impact'}): ${v.help}\n    ${v.helpUrl}\n${targets.join('\n')}`;
  });
}

/**
 * Turns the page's own scripts off from its next load on, as in a browser without JavaScript, for pages that must
 * work without it. Give the session to the page's checks: axe cannot run without scripts.
 */
export async function turnOffJavaScript(page: Page): Promise<CDPSession> {
  const session = await page.context().newCDPSession(page);
  await session.send('Emulation.setScriptExecutionDisabled', { value: true });
  return session;
}

/** Runs axe on the page as it is now and fails with every violation's rule, help and selectors. */
export async function checkAccessibility(page: Page, label: string): Promise<void> {
  const problems = await accessibilityProblems(page, label);
  assert.equal(problems.length, 0, `axe found ${problems.length} accessibility violation(s):\n${problems.join('\n')}`);
}

/** Why the page scrolls sideways, or undefined when nothing is wider than the window. */
export async function overflowProblem(page: Page, label: string): Promise<string | undefined> {
  const { scrollWidth, innerWidth, widest } = await page.evaluate(() => {
    const width = window.innerWidth;
    // Name the elements that stick out, to make a failure easy to trace.
    const sticking = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > width + 0.5)
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}${el.id === '' ? '' : `#${el.id}`}.${[...el.classList].join('.')}`);
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth: width, widest: sticking };
  });
  if (scrollWidth <= innerWidth) return undefined;
  return `${label} (${page.url()}) scrolls sideways: document.documentElement.scrollWidth is ${scrollWidth}px in a ${innerWidth}px window. Wider than the window: ${widest.join(', ')}`;
}

/** Nothing wider than the window: no sideways scrolling on a phone. */
export async function checkNoHorizontalOverflow(page: Page, label: string): Promise<void> {
  const problem = await overflowProblem(page, label);
  assert.equal(problem, undefined, problem);
}

/** Every check for a page the tests visit: axe, and at phone width no sideways scrolling. */
export async function checkPage(page: Page, label: string, options: { overflow?: boolean } = {}): Promise<void> {
  await checkAccessibility(page, label);
  if (options.overflow === true) await checkNoHorizontalOverflow(page, label);
}

/**
 * The checks a journey makes on every page it passes through, collected rather than thrown so that one
 * accessibility problem does not hide the next page's: call `assertNone()` at the end of the test.
 * Anything that stops the journey itself (a page that does not load, a field focus cannot reach) still fails at once.
 */
export class PageChecks {
  readonly problems: string[] = [];
  pagesChecked = 0;

  /** `scriptsOff`: the page's scripts were turned off (turnOffJavaScript); they are on only while axe runs. */
  constructor(
    private readonly page: Page,
    private readonly options: { overflow?: boolean; suffix?: string; scriptsOff?: CDPSession } = {},
  ) {}

  /** axe (and at phone width the sideways-scrolling check) on the page as it is now. */
  async check(label: string): Promise<void> {
    const full = this.options.suffix === undefined ? label : `${label} (${this.options.suffix})`;
    this.pagesChecked += 1;
    const { scriptsOff } = this.options;
    // The page loaded without running its own scripts; turning them on now does not run them, and lets axe run.
    await scriptsOff?.send('Emulation.setScriptExecutionDisabled', { value: false });
    try {
      this.problems.push(...(await accessibilityProblems(this.page, full)));
    } finally {
      await scriptsOff?.send('Emulation.setScriptExecutionDisabled', { value: true });
    }
    if (this.options.overflow === true) {
      const problem = await overflowProblem(this.page, full);
      if (problem !== undefined) this.problems.push(problem);
    }
  }

  /** A problem worth reporting that does not stop the journey. */
  expect(ok: boolean, problem: string): void {
    if (!ok) this.problems.push(problem);
  }

  assertNone(): void {
    assert.equal(
      this.problems.length,
      0,
      `${this.problems.length} problem(s) on the ${this.pagesChecked} page(s) checked:\n${this.problems.map((p) => `- ${p}`).join('\n')}`,
    );
  }
}

export async function isFocused(target: Locator): Promise<boolean> {
  return target.evaluate((el) => el === document.activeElement);
}

/** A short description of the focused element, for failure messages: `a.govuk-link "Back"`. */
export async function describeFocus(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (el === null || el === document.body) return '(body)';
    const name = (el.getAttribute('aria-label') ?? (el as HTMLElement).innerText.trim()) || (el.getAttribute('name') ?? '');
    const id = el.id === '' ? '' : `#${el.id}`;
    return `${el.tagName.toLowerCase()}${id} "${name.slice(0, 40)}"`;
  });
}

export async function assertFocused(page: Page, target: Locator, what: string): Promise<void> {
  assert.ok(await isFocused(target), `Expected focus on ${what}, but it is on ${await describeFocus(page)}`);
}

/**
 * Presses Tab (or Shift+Tab) until `target` has focus, as someone using a keyboard would. Fails, naming every
 * stop on the way, when it cannot be reached.
 */
export async function tabTo(page: Page, target: Locator, what: string, options: { backwards?: boolean; max?: number } = {}): Promise<void> {
  const { backwards = false, max = 40 } = options;
  assert.equal(await target.count(), 1, `Expected exactly one ${what} on ${page.url()}`);
  const key = backwards ? 'Shift+Tab' : 'Tab';
  const stops: string[] = [];
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press(key);
    if (await isFocused(target)) return;
    stops.push(await describeFocus(page));
  }
  assert.fail(`Could not reach ${what} with ${key} in ${max} presses on ${page.url()}. Focus went: ${stops.join(' → ')}`);
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Presses a key that should take the browser to another page (Enter on a link or button) and waits until the
 * page at `url` has loaded. Returns the response of the page that loaded, after any redirects.
 */
export async function pressAndNavigate(page: Page, key: string, url: RegExp): Promise<Response> {
  const [response] = await Promise.all([
    page.waitForResponse(
      (r) => r.request().isNavigationRequest() && r.request().frame() === page.mainFrame() && !REDIRECTS.has(r.status()),
    ),
    page.waitForURL(url, { waitUntil: 'load' }),
    page.keyboard.press(key),
  ]);
  return response;
}

/**
 * Like pressAndNavigate, for a form that may come back to the address the page already has (a form with errors
 * sent again, a sign-in refused): waits for the next page's load event rather than for the address to change,
 * then checks the address is `url`.
 */
export async function pressAndLoad(page: Page, key: string, url: RegExp): Promise<Response> {
  const [response] = await Promise.all([
    page.waitForResponse(
      (r) => r.request().isNavigationRequest() && r.request().frame() === page.mainFrame() && !REDIRECTS.has(r.status()),
    ),
    page.waitForEvent('load'),
    page.keyboard.press(key),
  ]);
  assert.match(page.url(), url, `Expected the page at ${url.source} to load`);
  return response;
}

/** Opens a page by address (as typing it in the address bar would) and returns its response. */
export async function open(page: Page, url: string): Promise<Response> {
  const response = await page.goto(url, { waitUntil: 'load' });
  assert.ok(response !== null, `No response for ${url}`);
  return response;
}

/** Opens a page of this server by address, expects it to answer 200, and checks it. */
export async function visit(page: Page, checks: PageChecks, base: string, pathname: string, label: string): Promise<void> {
  const response = await open(page, `${base}${pathname}`);
  assert.equal(response.status(), 200, `${pathname} answered ${response.status()}`);
  await checks.check(label);
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The address pattern of a page of this server, e.g. pathIs(base, '/people') */
export function pathIs(base: string, pathname: string | RegExp): RegExp {
  const tail = typeof pathname === 'string' ? escapeRegExp(pathname) : pathname.source;
  return new RegExp(`^${escapeRegExp(base)}${tail}(?:[?#].*)?$`);
}

export const PERSON_PATH = /\/people\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

/**
 * Signs in from the sign-in page by keyboard: Tab to the email field, type, Tab to the password, type, Enter.
 * Focus is wherever the page left it (the top of the page after loading, or the main content after the skip link).
 */
export async function signInByKeyboard(page: Page, base: string, email: string, password: string, landsOn: string): Promise<Response> {
  const emailField = page.getByLabel('Email address');
  if (!(await isFocused(emailField))) await tabTo(page, emailField, 'the email address field');
  await page.keyboard.type(email);
  await page.keyboard.press('Tab');
  await assertFocused(page, page.getByLabel('Password', { exact: true }), 'the password field');
  await page.keyboard.type(password);
  const response = await pressAndNavigate(page, 'Enter', pathIs(base, landsOn));
  assert.equal(response.status(), 200, `Signing in as ${email} should land on ${landsOn}`);
  return response;
}

/** Opens /sign-in (checking it) and signs in by keyboard. */
export async function signIn(page: Page, checks: PageChecks, base: string, email: string, password: string, landsOn: string): Promise<void> {
  await open(page, `${base}/sign-in`);
  await checks.check('the sign-in page');
  await signInByKeyboard(page, base, email, password, landsOn);
}

/** Signs out with the Sign out button in the header, by keyboard, and checks the signed-out page. */
export async function signOutByKeyboard(page: Page, checks: PageChecks, base: string): Promise<void> {
  const signOut = page.getByRole('banner').getByRole('button', { name: 'Sign out' });
  // Backwards from wherever focus is: the header is near the top of every page.
  await tabTo(page, signOut, 'the Sign out button', { backwards: true, max: 60 });
  const response = await pressAndNavigate(page, 'Enter', pathIs(base, '/sign-out'));
  assert.equal(response.status(), 200);
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'You have signed out');
  // Signed out, the page should look it: no name, no Sign out button, no signed-in navigation.
  const stillSignedIn = await page.getByRole('button', { name: 'Sign out' }).count();
  const navigation = await page.locator('.govuk-service-navigation').count();
  checks.expect(
    stillSignedIn === 0 && navigation === 0,
    `The signed-out page (${page.url()}) still shows the signed-in header: ${stillSignedIn} "Sign out" button(s) and ${navigation} service navigation(s) (header text: ${JSON.stringify((await page.getByRole('banner').innerText()).replace(/\s+/g, ' ').trim())})`,
  );
  await checks.check('the signed-out page');
}

/** The main heading of the page. */
export async function heading(page: Page): Promise<string> {
  return (await page.getByRole('heading', { level: 1 }).innerText()).trim();
}

export interface PageWatch {
  dialogs: string[];
  consoleCsp: string[];
  pageErrors: string[];
  /** CSP violations reported to the page since it loaded. */
  cspViolations(): Promise<string[]>;
}

declare global {
  interface Window {
    __cspViolations?: string[];
  }
}

/**
 * Watches a page for the signs of a successful script injection: a dialog opening, a Content Security Policy
 * violation (reported as a DOM event, or on the console) and uncaught page errors.
 */
export async function watchPage(page: Page): Promise<PageWatch> {
  const watch: PageWatch = {
    dialogs: [],
    consoleCsp: [],
    pageErrors: [],
    cspViolations: async () => page.evaluate(() => window.__cspViolations ?? ['(the violation listener was not installed)']),
  };
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      window.__cspViolations?.push(`${event.violatedDirective} blocked ${event.blockedURI || '(inline)'}: ${event.sample}`);
    });
  });
  page.on('dialog', (dialog) => {
    watch.dialogs.push(`${dialog.type()}: ${dialog.message()} (on ${page.url()})`);
    void dialog.dismiss().catch(() => undefined);
  });
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) watch.consoleCsp.push(`${message.text()} (on ${page.url()})`);
  });
  page.on('pageerror', (error) => {
    watch.pageErrors.push(`${error.message} (on ${page.url()})`);
  });
  return watch;
}

/** The value beside a key in a GOV.UK summary list, as the page shows it (line breaks kept). */
export async function summaryValue(scope: Locator, key: string): Promise<string> {
  const row = scope
    .locator('.govuk-summary-list__row')
    .filter({ has: scope.page().locator('.govuk-summary-list__key', { hasText: new RegExp(`^\\s*${escapeRegExp(key)}\\s*$`) }) });
  assert.equal(await row.count(), 1, `Expected one "${key}" row in the summary list on ${scope.page().url()}`);
  return (await row.locator('.govuk-summary-list__value').innerText()).replace(/\r\n/g, '\n').trim();
}
