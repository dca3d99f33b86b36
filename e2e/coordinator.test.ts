/**
 * A coordinator's first morning, by keyboard alone: sign in, record an introduction (first getting it wrong),
 * find the person again, sign out. Every page is checked with axe; at phone width nothing may scroll sideways.
 * The mouse is never used: locators only check where focus is and what the page says.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  DESKTOP,
  PERSON_PATH,
  PHONE,
  assertFocused,
  PageChecks,
  describeFocus,
  heading,
  isFocused,
  newPage,
  open,
  pathIs,
  pressAndNavigate,
  signInByKeyboard,
  signOutByKeyboard,
  summaryValue,
  tabTo,
} from './support/browser.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from './support/server.ts';
import { introductionDate } from './support/introductions.ts';
import { useServerAndBrowser } from './support/session.ts';

interface Journey {
  label: string;
  viewport: { width: number; height: number };
  /** At phone width every page is also checked for sideways scrolling. */
  overflow: boolean;
  name: string;
  introducerName: string;
  organisation: string;
  /** What they would like to change, line by line (typed with Enter between the lines). */
  words: string[];
  /** The first journey of the file sees the demo's people of Marsh End, before anyone else is added. */
  expectDemoCaseload: boolean;
}

/** The errors an empty form can get, in the order of the fields on the page. */
const EMPTY_FORM_ERRORS = [
  { text: "Enter the person's name", href: '#name' },
  { text: 'Select the neighbourhood the person lives in', href: '#areaId' },
  { text: 'Select who introduced the person', href: '#introducedBy' },
  { text: 'Enter what the person would like to change, in their own words', href: '#whatTheyWouldLikeToChange' },
  { text: 'Select whether they know about and agree to this introduction', href: '#personKnows' },
];

async function checkErrorSummary(page: Page, checks: PageChecks, expected: typeof EMPTY_FORM_ERRORS): Promise<void> {
  const summary = page.locator('.govuk-error-summary');
  assert.equal(await summary.count(), 1, 'The error summary should be shown');
  // GOV.UK Frontend's ErrorSummary moves focus to the summary so screen reader users hear it at once.
  await assertFocused(page, summary, 'the error summary');
  assert.equal((await summary.getByRole('heading', { level: 2 }).innerText()).trim(), 'There is a problem');
  assert.match(await page.title(), /^Error: /, 'The page title should start with "Error: "');

  const links = await summary.getByRole('link').evaluateAll((anchors) =>
    anchors.map((a) => ({ text: (a as HTMLElement).innerText.trim(), href: a.getAttribute('href') ?? '' })),
  );
  assert.deepEqual(
    [...links].sort((a, b) => a.href.localeCompare(b.href)),
    [...expected].sort((a, b) => a.href.localeCompare(b.href)),
    'The error summary should link to each field with a problem',
  );
  // Every link lands on a field that can take focus, and the inline message is shown beside that field.
  const targets = await summary.getByRole('link').evaluateAll((anchors) =>
    anchors.map((a) => {
      const id = (a.getAttribute('href') ?? '').slice(1);
      const target = document.getElementById(id);
      const group = target?.closest('.govuk-form-group');
      return {
        id,
        tag: target?.tagName.toLowerCase() ?? '(missing)',
        inlineError: group?.querySelector('.govuk-error-message')?.textContent.replace(/^\s*Error:\s*/, '').trim() ?? '(none)',
        position: target === null ? -1 : [...document.querySelectorAll('input, select, textarea')].indexOf(target),
      };
    }),
  );
  for (const target of targets) {
    checks.expect(['input', 'select', 'textarea'].includes(target.tag), `The error summary link #${target.id} should point at a form field, not at a ${target.tag}`);
  }
  assert.deepEqual(
    targets.map((t) => t.inlineError),
    links.map((l) => l.text),
    'Each field should show the same message as the summary, beside it',
  );
  // The GOV.UK pattern: errors are listed in the order the fields appear on the page.
  const listed = links.map((l) => l.href).join(', ');
  const onPage = expected.map((e) => e.href).join(', ');
  checks.expect(
    listed === onPage,
    `On ${page.url()} the error summary lists the errors as ${listed}, not in the order of the fields on the page (${onPage}); field positions among the form controls: ${targets.map((t) => `#${t.id}=${String(t.position)}`).join(', ')}`,
  );
}

/** Chooses a radio by keyboard: Tab into the group, arrows to the option, Space to be sure it is checked. */
async function chooseRadio(page: Page, label: string): Promise<void> {
  const radio = page.getByRole('radio', { name: label });
  await page.keyboard.press('Tab');
  for (let i = 0; i < 5 && !(await isFocused(radio)); i += 1) await page.keyboard.press('ArrowDown');
  await assertFocused(page, radio, `the "${label}" radio`);
  await page.keyboard.press('Space');
  assert.ok(await radio.isChecked(), `The "${label}" radio should be checked`);
}

async function coordinatorJourney(browser: Browser, base: string, journey: Journey): Promise<void> {
  const { page, context } = await newPage(browser, journey.viewport);
  const checks = new PageChecks(page, { overflow: journey.overflow, suffix: journey.label });
  const check = (label: string) => checks.check(label);
  try {
    // The sign-in page: the skip link is the first tab stop, and it takes focus to the main content.
    await open(page, `${base}/sign-in`);
    await check('the sign-in page');
    await page.keyboard.press('Tab');
    const skipLink = page.getByRole('link', { name: 'Skip to main content' });
    await assertFocused(page, skipLink, 'the "Skip to main content" link (the first tab stop)');
    const box = await skipLink.boundingBox();
    assert.ok(box !== null && box.width > 1 && box.height > 1, 'The skip link should be visible when it has focus');
    await page.keyboard.press('Enter');
    assert.match(page.url(), /#main-content$/);
    await assertFocused(page, page.locator('#main-content'), 'the main content, after following the skip link');
    await page.keyboard.press('Tab');
    await assertFocused(page, page.getByLabel('Email address'), 'the email field, the first field in the main content');

    await signInByKeyboard(page, base, DEMO_ACCOUNTS.coordinator, DEMO_PASSWORD, '/people');
    assert.equal(await heading(page), 'People I walk alongside');
    if (journey.expectDemoCaseload) {
      // The demo programme's people of Marsh End, and none of Hollins Park's.
      const names = await page.getByRole('table').getByRole('link').allTextContents();
      assert.ok(names.includes('Gareth Pryce'), 'The coordinator sees the people of their neighbourhood');
      assert.ok(!names.includes('Maureen Tilsley'), 'and not the people of another neighbourhood');
    }
    await check('the caseload');

    // Record an introduction: first with nothing filled in.
    await tabTo(page, page.getByRole('main').getByRole('button', { name: 'Record an introduction' }), 'the "Record an introduction" button');
    let response = await pressAndNavigate(page, 'Enter', pathIs(base, '/introductions/new'));
    assert.equal(response.status(), 200);
    assert.equal(await heading(page), 'Record an introduction');
    for (const part of ['Day', 'Month', 'Year']) {
      assert.match(await introductionDate(page).getByLabel(part, { exact: true }).inputValue(), /^\d+$/, `The ${part} of the introduction should start as today's`);
    }
    await check('the introduction form');

    // A coordinator with one neighbourhood finds it already chosen; otherwise it is one more error.
    const areaChosen = await page.getByRole('radio', { name: 'Marsh End' }).isChecked();
    const expectedErrors = EMPTY_FORM_ERRORS.filter((e) => !(areaChosen && e.href === '#areaId'));
    const submit = page.getByRole('button', { name: 'Record the introduction' });
    await tabTo(page, submit, 'the "Record the introduction" button');
    response = await pressAndNavigate(page, 'Enter', pathIs(base, '/introductions'));
    assert.equal(response.status(), 400, 'An empty form is refused with 400');
    await checkErrorSummary(page, checks, expectedErrors);
    await check('the introduction form with errors');

    // The first error link takes focus to the name field.
    await page.keyboard.press('Tab');
    await assertFocused(page, page.locator('.govuk-error-summary').getByRole('link', { name: "Enter the person's name" }), 'the first error link');
    await page.keyboard.press('Enter');
    await assertFocused(page, page.getByLabel("The person's name"), "the person's name field, after following its error link");

    // Now fill it in properly. Their date of birth (or age) and postcode are not known yet: Tab past them.
    await page.keyboard.type(journey.name);
    await tabTo(page, page.getByLabel('Postcode (optional)'), 'the postcode field', { max: 5 });
    await chooseRadio(page, 'Marsh End');
    await page.keyboard.press('Tab');
    const introducedBy = page.getByLabel('Who introduced them?');
    await assertFocused(page, introducedBy, 'the "Who introduced them?" select');
    // Arrow keys move through the options of a closed select (typing ahead would too, but against a 1 s timer).
    for (let i = 0; i < 20 && (await introducedBy.inputValue()) !== 'neighbour'; i += 1) await page.keyboard.press('ArrowDown');
    assert.equal(await introducedBy.inputValue(), 'neighbour', 'The arrow keys should reach "A neighbour"');
    assert.equal((await introducedBy.locator('option:checked').innerText()).trim(), 'A neighbour');
    await page.keyboard.press('Tab');
    await assertFocused(page, page.getByLabel("Introducer's name (optional)"), "the introducer's name field");
    await page.keyboard.type(journey.introducerName);
    await page.keyboard.press('Tab');
    await assertFocused(page, page.getByLabel('Their organisation (optional)'), 'the organisation field');
    await page.keyboard.type(journey.organisation);
    // Today's date stays as it is: Tab through day, month and year to the words.
    const words = page.getByLabel('What would they like to change?');
    await tabTo(page, words, 'the "What would they like to change?" field', { max: 4 });
    for (const [i, line] of journey.words.entries()) {
      if (i > 0) await page.keyboard.press('Enter');
      await page.keyboard.type(line);
    }
    await chooseRadio(page, 'Yes, they know and agree');
    await tabTo(page, submit, 'the "Record the introduction" button', { max: 2 });
    response = await pressAndNavigate(page, 'Enter', pathIs(base, PERSON_PATH));
    assert.equal(response.status(), 200);
    const personUrl = page.url();

    // The person's page: their name, who introduced them, and their words as typed, line breaks and all.
    assert.equal(await heading(page), journey.name);
    const main = page.getByRole('main');
    assert.equal(await summaryValue(main, 'Neighbourhood'), 'Marsh End');
    assert.equal(await summaryValue(main, 'Introduced by'), 'A neighbour');
    assert.equal(await summaryValue(main, 'Introducer'), `${journey.introducerName}, ${journey.organisation}`);
    assert.equal(
      await summaryValue(main, 'What they would like to change'),
      journey.words.join('\n'),
      'The person page shows what they would like to change, in their words, line breaks and all',
    );
    await check("the person's page");

    // Back to the list, where they now appear.
    await tabTo(page, page.getByRole('link', { name: 'Back to people' }), 'the "Back to people" link');
    response = await pressAndNavigate(page, 'Enter', pathIs(base, '/people'));
    assert.equal(response.status(), 200);
    assert.equal(await heading(page), 'People I walk alongside');
    const personLink = page.getByRole('table').getByRole('link', { name: journey.name, exact: true });
    assert.equal(await personLink.count(), 1, `${journey.name} should be listed once`);
    assert.equal(new URL(await personLink.getAttribute('href') ?? '', base).href, personUrl);
    await check('the caseload with the new person');

    await signOutByKeyboard(page, checks, base);

    // Signed out means signed out: the caseload now sends you to sign in.
    response = await open(page, `${base}/people`);
    assert.match(page.url(), pathIs(base, '/sign-in'));
    assert.equal(response.status(), 200);
    await check('the sign-in page after signing out');

    checks.assertNone();
  } finally {
    await context.close();
  }
}

/** A date that is not real: its error in the summary must lead to the day field, as every other error leads to its field. */
async function impossibleDateJourney(browser: Browser, base: string): Promise<void> {
  const { page, context } = await newPage(browser, DESKTOP);
  const checks = new PageChecks(page, { suffix: 'impossible date' });
  try {
    await open(page, `${base}/sign-in`);
    await checks.check('the sign-in page');
    await signInByKeyboard(page, base, DEMO_ACCOUNTS.coordinator, DEMO_PASSWORD, '/people');
    await tabTo(page, page.getByRole('main').getByRole('button', { name: 'Record an introduction' }), 'the "Record an introduction" button');
    await pressAndNavigate(page, 'Enter', pathIs(base, '/introductions/new'));
    await checks.check('the introduction form');

    // 31 February: replace the day and the month, keeping the year.
    const day = introductionDate(page).getByLabel('Day', { exact: true });
    await tabTo(page, day, 'the Day field');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('31');
    await page.keyboard.press('Tab');
    await assertFocused(page, introductionDate(page).getByLabel('Month', { exact: true }), 'the Month field');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('2');
    await tabTo(page, page.getByRole('button', { name: 'Record the introduction' }), 'the "Record the introduction" button', { max: 6 });
    const response = await pressAndNavigate(page, 'Enter', pathIs(base, '/introductions'));
    assert.equal(response.status(), 400);
    const summary = page.locator('.govuk-error-summary');
    await assertFocused(page, summary, 'the error summary');
    await checks.check('the introduction form with a date error');

    const dateLink = summary.getByRole('link', { name: /real date/ });
    await tabTo(page, dateLink, 'the date error link in the summary', { max: 6 });
    await page.keyboard.press('Enter');
    const href = await dateLink.getAttribute('href');
    checks.expect(
      await isFocused(day),
      `Following the date error link (href="${href ?? ''}") in the error summary on ${page.url()} should put focus in the Day field (#introducedOn-day); focus is on ${await describeFocus(page)}`,
    );
    checks.assertNone();
  } finally {
    await context.close();
  }
}

describe('a coordinator, by keyboard alone', () => {
  const ready = useServerAndBrowser();

  test('records an introduction at desktop width', async () => {
    const { base, browser: b } = ready();
    await coordinatorJourney(b, base, {
      label: 'desktop',
      viewport: DESKTOP,
      overflow: false,
      name: 'Margaret Okonjo-Smith',
      introducerName: 'Dev Patel',
      organisation: "Marsh End Tenants' Association",
      words: ['I would like to get out of the flat more.', 'Maybe help at the community garden on Fridays.'],
      expectDemoCaseload: true,
    });
  });

  test('records an introduction at phone width, with nothing scrolling sideways', async () => {
    const { base, browser: b } = ready();
    await coordinatorJourney(b, base, {
      label: 'phone',
      viewport: PHONE,
      overflow: true,
      name: 'Bartholomew Featherstonehaugh-Llewellyn',
      introducerName: 'Siobhan Ní Bhraonáin',
      organisation: 'Brookfield Allotment Society',
      words: [
        'Wants to feel less alone since his wife died, and to use his carpentry skills again.',
        'Would like someone to talk to about the letters from the council.',
      ],
      expectDemoCaseload: false,
    });
  });

  test('a date that is not real: the error summary leads to the day field', async () => {
    const { base, browser: b } = ready();
    await impossibleDateJourney(b, base);
  });
});
