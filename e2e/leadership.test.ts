/**
 * The Leadership Group and evaluators see the programme as a whole and never a person: every person-level page
 * answers 403, even for the address of someone who exists, and the navigation offers no way to people.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  DESKTOP,
  PageChecks,
  heading,
  newPage,
  open,
  pathIs,
  pressAndNavigate,
  signIn,
  signOutByKeyboard,
  tabTo,
} from './support/browser.ts';
import { recordIntroduction } from './support/introductions.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from './support/server.ts';
import { useServerAndBrowser } from './support/session.ts';

const PERSON = {
  name: 'Winifred Ashdown-Kaur',
  words: 'To have people round for tea again, like before the flood.',
};

/** The programme overview: its figures, its neighbourhoods, and a word on what this role cannot see. */
async function checkOverview(page: Page, base: string): Promise<void> {
  assert.match(page.url(), pathIs(base, '/overview'));
  assert.equal(await heading(page), 'Programme overview');
  const text = await page.getByRole('main').innerText();
  for (const area of ['Marsh End', 'Hollins Park']) assert.ok(text.includes(area), `The overview should list ${area}`);
  for (const figure of ['Introductions by month', 'Where people are in their journey', 'What people want to change', 'System barriers']) {
    assert.ok(text.includes(figure), `The overview should show "${figure}"`);
  }
  assert.ok(text.includes("No one's personal record is shown to your role."), 'The overview should say that this role sees no personal records');
  // Every count of people is 0, "fewer than 8" or a multiple of 5 from 10 up (disclosure control, SECURITY.md).
  for (const section of ['#introductions-section', '#people-section']) {
    const cells = await page.locator(`section:has(${section}) td`).allInnerTexts();
    assert.ok(cells.length > 0, `The ${section} tables have figures`);
    for (const cell of cells.map((c) => c.trim())) {
      assert.match(cell, /^(0|fewer than 8|[1-9]\d*[05])$/, `A count the Leadership Group sees must pass disclosure control: "${cell}"`);
    }
  }
}

/**
 * Last month's figures chosen by keyboard, then the monthly report: read on screen, as printed (the service's
 * menus and links gone), as a PDF from the server's Chromium, and one table as CSV.
 */
async function readTheMonthlyReport(page: Page, checks: PageChecks, base: string): Promise<void> {
  await tabTo(page, page.getByLabel('Month', { exact: true }), 'the month to show');
  await page.keyboard.press('ArrowDown');
  await tabTo(page, page.getByRole('button', { name: 'Show this month' }), 'the Show this month button');
  await pressAndNavigate(page, 'Enter', /\/overview\?month=\d{4}-\d{2}$/);
  const month = new URL(page.url()).searchParams.get('month') ?? '';
  await checkOverview(page, base);
  await checks.check('the programme overview for last month');

  await tabTo(page, page.getByRole('link', { name: /^Monthly report for / }), 'the monthly report link');
  await pressAndNavigate(page, 'Enter', new RegExp(`/overview/report\\?month=${month}$`));
  assert.match(await heading(page), /: report to the Leadership Group, [A-Z][a-z]+ \d{4}$/);
  await checks.check('the monthly report');
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.govuk-service-navigation').isVisible(), false, 'The menu is not printed');
  assert.equal(await page.getByRole('link', { name: /as CSV/ }).first().isVisible(), false, 'Download links are not printed');
  await page.emulateMedia({ media: 'screen' });

  const pdf = await page.context().request.get(`${base}/overview/report.pdf?month=${month}`);
  assert.equal(pdf.status(), 200, 'The report downloads as a PDF');
  assert.equal(pdf.headers()['content-type'], 'application/pdf');
  assert.equal((await pdf.body()).subarray(0, 5).toString('latin1'), '%PDF-');
  const csv = await page.context().request.get(`${base}/overview/tables/people-by-status.csv?month=${month}`);
  assert.equal(csv.status(), 200);
  assert.match(await csv.text(), /^Where they are,People\r\nIntroduced,/);
}

/**
 * The navigation offers the overview, the unit-cost library and (for the Leadership Group) the system barriers,
 * and nothing about people; no link anywhere leads to a person-level page.
 */
async function checkNavigation(page: Page, expected: readonly string[]): Promise<void> {
  const navigation = page.locator('.govuk-service-navigation');
  assert.equal(await navigation.count(), 1, 'A signed-in page has the service navigation');
  const items = (await navigation.getByRole('link').allInnerTexts()).map((t) => t.trim());
  assert.deepEqual(items, expected);
  assert.ok(!/people/i.test(await navigation.innerText()), 'The navigation should not mention people');
  const personLinks = await page.locator('a[href^="/people"], a[href^="/introductions"], form[action^="/introductions"]').count();
  assert.equal(personLinks, 0, 'No link or form on the page leads to a person-level page');
}

async function aggregateRoleCannotSeePeople(browser: Browser, base: string, email: string, personId: string): Promise<void> {
  const menu = email === DEMO_ACCOUNTS.leadership ? ['Programme overview', 'System barriers', 'Unit costs'] : ['Programme overview', 'Unit costs'];
  const { page, context } = await newPage(browser, DESKTOP);
  const checks = new PageChecks(page, { suffix: email });
  try {
    await signIn(page, checks, base, email, DEMO_PASSWORD, '/overview');
    await checkOverview(page, base);
    await checkNavigation(page, menu);
    await checks.check('the programme overview');
    if (email === DEMO_ACCOUNTS.leadership) await readTheMonthlyReport(page, checks, base);

    // Their home page is the overview.
    await open(page, `${base}/`);
    assert.match(page.url(), pathIs(base, '/overview'));

    for (const path of ['/people', '/introductions/new', `/people/${personId}`, `/people/${personId}/audit`]) {
      const response = await open(page, `${base}${path}`);
      assert.equal(response.status(), 403, `${email} should be refused ${path} with 403`);
      assert.match(page.url(), pathIs(base, path), 'Refused where they asked, not redirected');
      assert.equal(await heading(page), 'You do not have permission to see this page', `The 403 page for ${path}`);
      const body = await page.locator('body').innerText();
      for (const secret of [PERSON.name, PERSON.words, 'Marsh End']) {
        assert.ok(!body.includes(secret), `The 403 page for ${path} should not show "${secret}"`);
      }
      await checkNavigation(page, menu);
      await checks.check(`the 403 page for ${path}`);
    }

    await signOutByKeyboard(page, checks, base);
    checks.assertNone();
  } finally {
    await context.close();
  }
}

describe('aggregate-only roles', () => {
  let personId: string | undefined;
  const ready = useServerAndBrowser();

  test('the Marsh End coordinator records someone (the person the others must not see)', async () => {
    const { base, browser: b } = ready();
    const { page, context } = await newPage(b, DESKTOP);
    const checks = new PageChecks(page, { suffix: 'coordinator' });
    try {
      await signIn(page, checks, base, DEMO_ACCOUNTS.coordinator, DEMO_PASSWORD, '/people');
      await checks.check('the caseload');
      personId = await recordIntroduction(page, base, checks, {
        name: PERSON.name,
        area: 'Marsh End',
        introducedBy: 'GP or primary care',
        words: PERSON.words,
      });
      assert.equal(await heading(page), PERSON.name);
      checks.assertNone();
    } finally {
      await context.close();
    }
  });

  test('the Leadership Group sees the programme overview and cannot reach any person', async () => {
    const { base, browser: b } = ready();
    assert.ok(personId !== undefined, 'The coordinator should have recorded someone first');
    await aggregateRoleCannotSeePeople(b, base, DEMO_ACCOUNTS.leadership, personId);
  });

  test('an evaluator sees the programme overview and cannot reach any person', async () => {
    const { base, browser: b } = ready();
    assert.ok(personId !== undefined, 'The coordinator should have recorded someone first');
    await aggregateRoleCannotSeePeople(b, base, DEMO_ACCOUNTS.evaluator, personId);
  });
});
