/**
 * A programme admin's morning, by keyboard alone: add a neighbourhood and a coordinator (first getting both
 * wrong), see the coordinator work in it, disable their account (ending the session they have open elsewhere at
 * once) and enable it again, and look up who has seen a person's record without seeing the record. Every page,
 * error states included, is checked with axe; a shorter pass at phone width also checks nothing scrolls sideways.
 * The mouse is never used, except by the quick filler the Marsh End coordinator records someone with (the
 * coordinator's own journey does that by keyboard): locators only check where focus is and what the page says.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Browser, Page, Response } from 'playwright-core';
import {
  DESKTOP,
  PHONE,
  PageChecks,
  assertFocused,
  escapeRegExp,
  heading,
  isFocused,
  newPage,
  open,
  pathIs,
  pressAndLoad,
  pressAndNavigate,
  signIn,
  signOutByKeyboard,
  summaryValue,
  tabTo,
} from './support/browser.ts';
import { recordIntroduction } from './support/introductions.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from './support/server.ts';
import { useServerAndBrowser } from './support/session.ts';

const ADMIN = 'admin@brookfield.example';
const ADMIN_NAME = 'Jo Bennett';

const AREA = { name: 'Weavers Row', population: '7,450', districts: 'bf5, BF6', changedPopulation: '7,600' };

const COORDINATOR = {
  name: 'Nkechi Adeyemi-Walsh',
  email: 'nkechi.adeyemi-walsh@brookfield.example',
  commonPassword: 'Password123',
  password: 'kettle on by the weavers canal',
};

const PERSON = {
  name: 'Ezekiel Marchetti-Oyelaran',
  words: 'Wants to get back to the bowls club now his knee is better.',
};

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;
const AREA_PATH = new RegExp(`/admin/areas/${UUID.source}`);
const USER_PATH = new RegExp(`/admin/users/${UUID.source}`);

interface ExpectedError {
  text: string;
  href: string;
}

/**
 * The GOV.UK error summary: focused, titled, one link per problem in the order of the fields, each leading to a
 * field that shows the same message beside it.
 */
async function checkErrorSummary(page: Page, checks: PageChecks, expected: ExpectedError[]): Promise<void> {
  const summary = page.locator('.govuk-error-summary');
  assert.equal(await summary.count(), 1, `The error summary should be shown on ${page.url()}`);
  await assertFocused(page, summary, 'the error summary');
  assert.equal((await summary.getByRole('heading', { level: 2 }).innerText()).trim(), 'There is a problem');
  assert.match(await page.title(), /^Error: /, 'The page title should start with "Error: "');

  const links = await summary.getByRole('link').evaluateAll((anchors) =>
    anchors.map((a) => ({ text: (a as HTMLElement).innerText.trim(), href: a.getAttribute('href') ?? '' })),
  );
  assert.deepEqual(links, expected, `The error summary on ${page.url()} should link to each field with a problem, in the order of the fields`);
  const targets = await summary.getByRole('link').evaluateAll((anchors) =>
    anchors.map((a) => {
      const id = (a.getAttribute('href') ?? '').slice(1);
      const target = document.getElementById(id);
      const group = target?.closest('.govuk-form-group');
      return {
        id,
        tag: target?.tagName.toLowerCase() ?? '(missing)',
        inlineError: group?.querySelector('.govuk-error-message')?.textContent.replace(/^\s*Error:\s*/, '').trim() ?? '(none)',
      };
    }),
  );
  for (const target of targets) {
    checks.expect(['input', 'select', 'textarea'].includes(target.tag), `The error summary link #${target.id} on ${page.url()} should point at a form field, not at a ${target.tag}`);
  }
  assert.deepEqual(
    targets.map((t) => t.inlineError),
    links.map((l) => l.text),
    'Each field should show the same message as the summary, beside it',
  );
}

/** From the focused error summary, follows the link to a field's error and checks focus lands in that field. */
async function followErrorLink(page: Page, message: string, field: string): Promise<void> {
  const link = page.locator('.govuk-error-summary').getByRole('link', { name: message, exact: true });
  await tabTo(page, link, `the "${message}" link in the error summary`, { max: 6 });
  await page.keyboard.press('Enter');
  await assertFocused(page, page.locator(`#${field}`), `the #${field} field, after following its error link`);
}

/** Replaces the whole value of the focused field, as someone selecting all and typing over it would. */
async function typeOver(page: Page, text: string): Promise<void> {
  await page.keyboard.press('Control+A');
  if (text === '') await page.keyboard.press('Delete');
  else await page.keyboard.type(text);
}

/** The service navigation offers Admin, Areas and Users, and nothing about people (on a phone, behind "Menu"). */
async function checkAdminNavigation(page: Page): Promise<void> {
  const navigation = page.locator('.govuk-service-navigation');
  assert.equal(await navigation.count(), 1, 'A signed-in page has the service navigation');
  const items = (await navigation.locator('a').allTextContents()).map((t) => t.trim());
  assert.deepEqual(items, ['Admin', 'Areas', 'Users', 'Community', 'Scenarios']);
  assert.ok(!/people/i.test(await navigation.textContent() ?? ''), 'The navigation should not mention people');
}

/**
 * Follows a link of the service navigation by keyboard: Tab from the top of the page, or Shift+Tab when focus is
 * further down (in an error summary, a banner). On a phone the links are behind the "Menu" button, opened first.
 */
async function followNavigation(page: Page, base: string, label: string, path: string): Promise<Response> {
  const navigation = page.locator('.govuk-service-navigation');
  const backwards = await navigation.evaluate((nav) => {
    const active = document.activeElement;
    if (active === null || active === document.body || nav.contains(active)) return false;
    return (nav.compareDocumentPosition(active) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
  });
  const toggle = navigation.getByRole('button', { name: 'Menu' });
  let opened = false;
  if ((await toggle.count()) === 1 && (await toggle.isVisible()) && (await toggle.getAttribute('aria-expanded')) !== 'true') {
    await tabTo(page, toggle, 'the navigation "Menu" button', { backwards });
    await page.keyboard.press('Enter');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true', 'Enter on the "Menu" button should open the navigation');
    opened = true;
  }
  await tabTo(page, navigation.getByRole('link', { name: label, exact: true }), `"${label}" in the navigation`, { backwards: backwards && !opened });
  const response = await pressAndNavigate(page, 'Enter', pathIs(base, path));
  assert.equal(response.status(), 200, `The ${label} page should load`);
  return response;
}

/** The cells of the table row whose first cell starts with `first`, as the page shows them. */
async function rowOf(page: Page, first: string): Promise<string[]> {
  const rows = page.getByRole('table').locator('tbody tr').filter({ has: page.locator('td:first-child, th:first-child', { hasText: new RegExp(`^\\s*${escapeRegExp(first)}`) }) });
  assert.equal(await rows.count(), 1, `Expected one row for "${first}" on ${page.url()}`);
  return (await rows.locator('th, td').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
}

/** The success banner a change leads to. */
async function checkBanner(page: Page, text: string): Promise<void> {
  const banner = page.locator('.govuk-notification-banner--success');
  assert.equal(await banner.count(), 1, `A success banner should be shown on ${page.url()}`);
  assert.ok((await banner.innerText()).includes(text), `The banner on ${page.url()} should say "${text}": it says ${JSON.stringify(await banner.innerText())}`);
}

/** A sign-in refused: the same message whatever the reason, in the error summary, and no session. */
async function signInRefusedByKeyboard(page: Page, checks: PageChecks, base: string, email: string, password: string): Promise<void> {
  const emailField = page.getByLabel('Email address');
  if (!(await isFocused(emailField))) await tabTo(page, emailField, 'the email address field');
  await page.keyboard.type(email);
  await page.keyboard.press('Tab');
  await assertFocused(page, page.getByLabel('Password', { exact: true }), 'the password field');
  await page.keyboard.type(password);
  const response = await pressAndLoad(page, 'Enter', pathIs(base, '/sign-in'));
  assert.equal(response.status(), 401, `Signing in as ${email} should be refused`);
  await checkErrorSummary(page, checks, [{ text: 'Enter a correct email address and password', href: '#email' }]);
  assert.equal(await page.getByRole('button', { name: 'Sign out' }).count(), 0, 'A refused sign-in leaves them signed out');
  await checks.check('the sign-in page, refused');
}

interface State {
  userUrl?: string;
  personId?: string;
}

/** Steps 1 to 3: the admin's home, a new neighbourhood (changed once), a new coordinator working in it. */
async function adminAddsAreaAndCoordinator(browser: Browser, base: string, state: State): Promise<void> {
  const { page, context } = await newPage(browser, DESKTOP);
  const checks = new PageChecks(page, { suffix: 'desktop' });
  const check = (label: string) => checks.check(label);
  try {
    await signIn(page, checks, base, ADMIN, DEMO_PASSWORD, '/admin');
    assert.equal(await heading(page), 'Running Brookfield Local Area Coordination');
    await checkAdminNavigation(page);
    assert.ok((await page.getByRole('banner').innerText()).includes(ADMIN_NAME), "The header shows the admin's name");
    await check('the admin home');

    // A neighbourhood, from the admin home's own link: first with nothing filled in.
    await tabTo(page, page.getByRole('main').getByRole('link', { name: 'Add a neighbourhood' }), 'the "Add a neighbourhood" link');
    let response = await pressAndNavigate(page, 'Enter', pathIs(base, '/admin/areas/new'));
    assert.equal(response.status(), 200);
    assert.equal(await heading(page), 'Add a neighbourhood');
    await check('the new neighbourhood form');
    const addArea = page.getByRole('button', { name: 'Add neighbourhood' });
    await tabTo(page, addArea, 'the "Add neighbourhood" button');
    response = await pressAndLoad(page, 'Enter', pathIs(base, '/admin/areas'));
    assert.equal(response.status(), 400, 'An empty neighbourhood form is refused with 400');
    await checkErrorSummary(page, checks, [{ text: 'Enter the name of the neighbourhood', href: '#name' }]);
    await check('the new neighbourhood form with an empty name');

    // A name the programme already has, however it is written.
    await followErrorLink(page, 'Enter the name of the neighbourhood', 'name');
    await page.keyboard.type('Marsh End');
    await page.keyboard.press('Tab');
    await assertFocused(page, page.getByLabel('Population (optional)'), 'the population field');
    await page.keyboard.type(AREA.population);
    await page.keyboard.press('Tab');
    await assertFocused(page, page.getByLabel('Postcode districts (optional)'), 'the postcode districts field');
    await page.keyboard.type(AREA.districts);
    await tabTo(page, addArea, 'the "Add neighbourhood" button', { max: 2 });
    response = await pressAndLoad(page, 'Enter', pathIs(base, '/admin/areas'));
    assert.equal(response.status(), 400, 'A name already in use is refused with 400');
    const nameTaken = 'There is already a neighbourhood with this name in the programme. Choose a different name';
    await checkErrorSummary(page, checks, [{ text: nameTaken, href: '#name' }]);
    assert.equal(await page.getByLabel('Name', { exact: true }).inputValue(), 'Marsh End', 'The name typed is kept');
    assert.equal(await page.getByLabel('Population (optional)').inputValue(), AREA.population, 'The population typed is kept');
    assert.equal(await page.getByLabel('Postcode districts (optional)').inputValue(), AREA.districts, 'The districts typed are kept');
    await check('the new neighbourhood form with a name already in use');

    // A new name, and the rest as it was.
    await followErrorLink(page, nameTaken, 'name');
    await typeOver(page, AREA.name);
    await tabTo(page, addArea, 'the "Add neighbourhood" button', { max: 3 });
    response = await pressAndNavigate(page, 'Enter', pathIs(base, /\/admin\/areas\?added=1/));
    assert.equal(response.status(), 200);
    await checkBanner(page, 'Neighbourhood added');
    assert.deepEqual((await rowOf(page, AREA.name)).slice(0, 4), [`${AREA.name} (change)`, '7,450', 'BF5, BF6', 'None yet']);
    await check('the neighbourhoods with the new one');

    // Change its population.
    await tabTo(page, page.getByRole('link', { name: `${AREA.name} (change)`, exact: true }), `the ${AREA.name} link`);
    response = await pressAndNavigate(page, 'Enter', pathIs(base, AREA_PATH));
    assert.equal(response.status(), 200);
    assert.equal(await heading(page), `Change ${AREA.name}`);
    assert.equal(await page.getByLabel('Population (optional)').inputValue(), '7450');
    assert.equal(await page.getByLabel('Postcode districts (optional)').inputValue(), 'BF5, BF6');
    await check('the change neighbourhood form');
    await tabTo(page, page.getByLabel('Population (optional)'), 'the population field');
    await typeOver(page, AREA.changedPopulation);
    await tabTo(page, page.getByRole('button', { name: 'Save changes' }), 'the "Save changes" button', { max: 3 });
    response = await pressAndNavigate(page, 'Enter', pathIs(base, /\/admin\/areas\?saved=1/));
    assert.equal(response.status(), 200);
    await checkBanner(page, 'Neighbourhood saved');
    assert.deepEqual((await rowOf(page, AREA.name)).slice(0, 3), [`${AREA.name} (change)`, '7,600', 'BF5, BF6']);
    await check('the neighbourhoods after a change');

    // A coordinator: first with nothing filled in.
    await followNavigation(page, base, 'Users', '/admin/users');
    assert.equal(await heading(page), 'Users');
    await check('the users');
    await tabTo(page, page.getByRole('main').getByRole('button', { name: 'Add a user' }), 'the "Add a user" button');
    response = await pressAndNavigate(page, 'Enter', pathIs(base, '/admin/users/new'));
    assert.equal(response.status(), 200);
    assert.equal(await heading(page), 'Add a user');
    await check('the new user form');
    const addUser = page.getByRole('button', { name: 'Add user' });
    await tabTo(page, addUser, 'the "Add user" button', { max: 30 });
    response = await pressAndLoad(page, 'Enter', pathIs(base, '/admin/users'));
    assert.equal(response.status(), 400, 'An empty user form is refused with 400');
    await checkErrorSummary(page, checks, [
      { text: 'Enter their full name', href: '#name' },
      { text: 'Enter their email address', href: '#email' },
      { text: 'Select their role', href: '#role' },
    ]);
    await check('the new user form with errors');

    // Filled in, with a common password.
    await followErrorLink(page, 'Enter their full name', 'name');
    await page.keyboard.type(COORDINATOR.name);
    await page.keyboard.press('Tab');
    await assertFocused(page, page.getByLabel('Email address'), 'the email address field');
    await page.keyboard.type(COORDINATOR.email);
    const coordinatorRole = page.getByRole('radio', { name: 'Coordinator', exact: true });
    await tabTo(page, coordinatorRole, 'the "Coordinator" radio', { max: 2 });
    await page.keyboard.press('Space');
    assert.ok(await coordinatorRole.isChecked(), 'The "Coordinator" radio should be checked');
    const areaBox = page.getByRole('checkbox', { name: AREA.name, exact: true });
    // Past the demo programme's four neighbourhoods to the new one.
    await tabTo(page, areaBox, `the "${AREA.name}" checkbox`, { max: 6 });
    await page.keyboard.press('Space');
    assert.ok(await areaBox.isChecked(), `The "${AREA.name}" checkbox should be ticked`);
    const password = page.getByLabel('Password for their new account');
    await tabTo(page, password, 'the password field', { max: 4 });
    await page.keyboard.type(COORDINATOR.commonPassword);
    await tabTo(page, addUser, 'the "Add user" button', { max: 3 });
    response = await pressAndLoad(page, 'Enter', pathIs(base, '/admin/users'));
    assert.equal(response.status(), 400, 'A common password is refused with 400');
    const commonPassword = 'Choose a password that is harder to guess: this one is very common';
    await checkErrorSummary(page, checks, [{ text: commonPassword, href: '#password' }]);
    assert.equal(await page.getByLabel('Full name').inputValue(), COORDINATOR.name, 'The name typed is kept');
    assert.equal(await page.getByLabel('Email address').inputValue(), COORDINATOR.email, 'The email typed is kept');
    assert.ok(await coordinatorRole.isChecked(), 'The role chosen is kept');
    assert.ok(await areaBox.isChecked(), 'The neighbourhood ticked is kept');
    assert.equal(await password.inputValue(), '', 'The password typed is never sent back');
    await check('the new user form with a common password');

    // A strong password.
    await followErrorLink(page, commonPassword, 'password');
    await page.keyboard.type(COORDINATOR.password);
    await tabTo(page, addUser, 'the "Add user" button', { max: 3 });
    response = await pressAndNavigate(page, 'Enter', pathIs(base, new RegExp(`${USER_PATH.source}\\?added=1`)));
    assert.equal(response.status(), 200);
    state.userUrl = page.url().replace(/\?.*$/, '');
    await checkBanner(page, 'User added');
    assert.equal(await heading(page), COORDINATOR.name);
    const main = page.getByRole('main');
    assert.equal(await summaryValue(main, 'Email address'), COORDINATOR.email);
    assert.equal(await summaryValue(main, 'Account'), 'Enabled');
    await check('the new user');

    await followNavigation(page, base, 'Users', '/admin/users');
    assert.deepEqual(await rowOf(page, COORDINATOR.name), [COORDINATOR.name, COORDINATOR.email, 'Coordinator', AREA.name, 'Enabled']);
    await check('the users with the new coordinator');

    await signOutByKeyboard(page, checks, base);
    checks.assertNone();
  } finally {
    await context.close();
  }
}

/** Step 4: the new coordinator signs in with the password the admin chose and works in the new neighbourhood. */
async function newCoordinatorWorksInTheArea(browser: Browser, base: string): Promise<void> {
  const { page, context } = await newPage(browser, DESKTOP);
  const checks = new PageChecks(page, { suffix: 'new coordinator' });
  try {
    await signIn(page, checks, base, COORDINATOR.email, COORDINATOR.password, '/people');
    assert.equal(await heading(page), 'People I walk alongside');
    assert.ok(await page.getByText('There is nobody here yet').isVisible(), 'A new coordinator sees an empty caseload');
    await checks.check('the caseload');

    await tabTo(page, page.getByRole('main').getByRole('button', { name: 'Record an introduction' }), 'the "Record an introduction" button');
    const response = await pressAndNavigate(page, 'Enter', pathIs(base, '/introductions/new'));
    assert.equal(response.status(), 200);
    assert.equal(await heading(page), 'Record an introduction');
    const offered = (await page.getByRole('group', { name: 'Which neighbourhood do they live in?' }).getByRole('radio').evaluateAll((radios) =>
      radios.map((r) => (r as HTMLInputElement).labels?.[0]?.innerText.trim() ?? ''),
    ));
    assert.deepEqual(offered, [AREA.name], `The new coordinator is offered ${AREA.name}, and only that`);
    await checks.check('the introduction form');

    await signOutByKeyboard(page, checks, base);
    checks.assertNone();
  } finally {
    await context.close();
  }
}

/**
 * Step 5: the admin (signed in, on any page) disables the account, first forgetting to confirm; the coordinator's
 * session open in another browser ends at once and they cannot sign in; enabled again, they can.
 */
async function disableAndEnable(browser: Browser, page: Page, checks: PageChecks, base: string, state: State): Promise<void> {
  assert.ok(state.userUrl !== undefined, 'The admin should have added the coordinator first');
  const userPath = new URL(state.userUrl).pathname;
  const coordinator = await newPage(browser, DESKTOP);
  const theirChecks = new PageChecks(coordinator.page, { suffix: 'coordinator, second browser' });
  try {
    // The coordinator is signed in in a browser of their own before the admin disables them.
    await signIn(coordinator.page, theirChecks, base, COORDINATOR.email, COORDINATOR.password, '/people');
    await theirChecks.check('the caseload');

    await followNavigation(page, base, 'Users', '/admin/users');
    await checks.check('the users');
    await tabTo(page, page.getByRole('link', { name: COORDINATOR.name, exact: true }), `the ${COORDINATOR.name} link`);
    let response = await pressAndNavigate(page, 'Enter', pathIs(base, userPath));
    assert.equal(response.status(), 200);
    assert.equal(await heading(page), COORDINATOR.name);
    await checks.check('the user page');

    // Disable, without ticking the box.
    const disable = page.getByRole('button', { name: 'Disable account' });
    await tabTo(page, disable, 'the "Disable account" button');
    response = await pressAndNavigate(page, 'Enter', pathIs(base, `${userPath}/disable`));
    assert.equal(response.status(), 400, 'Disabling without confirming is refused with 400');
    const confirmDisable = 'Select yes to confirm you want to disable this account';
    await checkErrorSummary(page, checks, [{ text: confirmDisable, href: '#confirm' }]);
    assert.equal(await summaryValue(page.getByRole('main'), 'Account'), 'Enabled', 'Nothing changed');
    await checks.check('the user page, disabling not confirmed');

    await followErrorLink(page, confirmDisable, 'confirm');
    await assertFocused(page, page.getByRole('checkbox', { name: 'Yes, disable this account' }), 'the confirmation checkbox');
    await page.keyboard.press('Space');
    await tabTo(page, disable, 'the "Disable account" button', { max: 2 });
    response = await pressAndNavigate(page, 'Enter', pathIs(base, new RegExp(`${escapeRegExp(userPath)}\\?disabled=1`)));
    assert.equal(response.status(), 200);
    await checkBanner(page, 'Account disabled');
    assert.match(await summaryValue(page.getByRole('main'), 'Account'), /^Disabled on \d{1,2} \w+ \d{4}$/);
    await checks.check('the user page, disabled');

    // Their next page, in the browser they were already signed in with, is the sign-in page.
    await tabTo(coordinator.page, coordinator.page.getByRole('main').getByRole('button', { name: 'Record an introduction' }), 'the "Record an introduction" button');
    response = await pressAndNavigate(coordinator.page, 'Enter', pathIs(base, '/sign-in'));
    assert.equal(response.status(), 200);
    assert.equal(await heading(coordinator.page), 'Sign in to Alongside');
    assert.equal(await coordinator.page.getByRole('button', { name: 'Sign out' }).count(), 0, 'Their session has ended');
    assert.ok(!(await coordinator.page.getByRole('banner').innerText()).includes(COORDINATOR.name), 'Their name is no longer in the header');
    await theirChecks.check('the sign-in page, after their account was disabled');

    // And they cannot sign in again.
    await signInRefusedByKeyboard(coordinator.page, theirChecks, base, COORDINATOR.email, COORDINATOR.password);

    // Enabled again.
    const enableBox = page.getByRole('checkbox', { name: 'Yes, let them sign in again' });
    await tabTo(page, enableBox, 'the "Yes, let them sign in again" checkbox');
    await page.keyboard.press('Space');
    assert.ok(await enableBox.isChecked());
    await tabTo(page, page.getByRole('button', { name: 'Enable account' }), 'the "Enable account" button', { max: 2 });
    response = await pressAndNavigate(page, 'Enter', pathIs(base, new RegExp(`${escapeRegExp(userPath)}\\?enabled=1`)));
    assert.equal(response.status(), 200);
    await checkBanner(page, 'Account enabled');
    assert.equal(await summaryValue(page.getByRole('main'), 'Account'), 'Enabled');
    await checks.check('the user page, enabled again');

    // They try again from the page that refused them: the email is still there, the password is typed again.
    await tabTo(coordinator.page, coordinator.page.getByLabel('Password', { exact: true }), 'the password field');
    await coordinator.page.keyboard.type(COORDINATOR.password);
    response = await pressAndNavigate(coordinator.page, 'Enter', pathIs(base, '/people'));
    assert.equal(response.status(), 200);
    assert.equal(await heading(coordinator.page), 'People I walk alongside');
    await theirChecks.check('the caseload, after their account was enabled');
    theirChecks.assertNone();
  } finally {
    await coordinator.context.close();
  }
}

/** Step 6, first half: the Marsh End coordinator records someone whose record the admin will ask about. */
async function marshEndCoordinatorRecordsSomeone(browser: Browser, base: string, state: State): Promise<void> {
  const { page, context } = await newPage(browser, DESKTOP);
  const checks = new PageChecks(page, { suffix: 'Marsh End coordinator' });
  try {
    await signIn(page, checks, base, DEMO_ACCOUNTS.coordinator, DEMO_PASSWORD, '/people');
    await checks.check('the caseload');
    state.personId = await recordIntroduction(page, base, checks, {
      name: PERSON.name,
      area: 'Marsh End',
      introducedBy: 'A neighbour',
      words: PERSON.words,
    });
    assert.equal(await heading(page), PERSON.name);
    checks.assertNone();
  } finally {
    await context.close();
  }
}

/**
 * Step 6: the admin (signed in, on any page) uses the record-id lookup on the admin home: its errors, the audit
 * trail without the person, and the 403 for the record itself.
 */
async function lookUpARecord(page: Page, checks: PageChecks, base: string, state: State): Promise<void> {
  assert.ok(state.personId !== undefined, 'The Marsh End coordinator should have recorded someone first');
  const personId = state.personId;
  await followNavigation(page, base, 'Admin', '/admin');
  await checks.check('the admin home');
  const field = page.getByLabel('Record id');
  const show = page.getByRole('button', { name: 'Show who has seen it' });

  // Nothing typed.
  await tabTo(page, show, 'the "Show who has seen it" button');
  let response = await pressAndNavigate(page, 'Enter', pathIs(base, '/admin/record-audit'));
  assert.equal(response.status(), 400, 'An empty record id is refused with 400');
  await checkErrorSummary(page, checks, [{ text: "Enter the person's record id", href: '#personId' }]);
  await checks.check('the admin home, no record id');

  // Not an id.
  await followErrorLink(page, "Enter the person's record id", 'personId');
  await page.keyboard.type('not-an-id');
  await tabTo(page, show, 'the "Show who has seen it" button', { max: 2 });
  response = await pressAndLoad(page, 'Enter', pathIs(base, '/admin/record-audit'));
  assert.equal(response.status(), 400, 'A record id that is not an id is refused with 400');
  const exactly = 'Enter the record id exactly as it was given to you, like 3f2b1c9e-8a7d-4e6f-9b1a-2c3d4e5f6a7b';
  await checkErrorSummary(page, checks, [{ text: exactly, href: '#personId' }]);
  assert.equal(await field.inputValue(), 'not-an-id', 'What was typed is kept');
  await checks.check('the admin home, a wrong record id');

  // The id the manager gave them.
  await followErrorLink(page, exactly, 'personId');
  await typeOver(page, personId);
  await tabTo(page, show, 'the "Show who has seen it" button', { max: 2 });
  response = await pressAndNavigate(page, 'Enter', pathIs(base, `/people/${personId}/audit`));
  assert.equal(response.status(), 200);
  assert.equal(await heading(page), 'Who has seen or changed this record');
  const trail = await page.locator('body').innerText();
  assert.ok(trail.includes(`Record id ${personId}`), 'The trail names the record by its id');
  assert.ok(trail.includes('Amara Okafor'), 'The trail shows the coordinator who recorded the person');
  for (const secret of [PERSON.name, PERSON.words, 'Marsh End']) {
    assert.ok(!trail.includes(secret), `The audit trail shown to an admin should not show "${secret}"`);
  }
  assert.equal(await page.getByRole('link', { name: 'Back to the person' }).count(), 0, 'No way to the record itself');
  await checks.check('the audit trail of the record');

  // The record itself is not for admins.
  response = await open(page, `${base}/people/${personId}`);
  assert.equal(response.status(), 403, 'An admin is refused the person page with 403');
  assert.match(page.url(), pathIs(base, `/people/${personId}`), 'Refused where they asked, not redirected');
  assert.equal(await heading(page), 'You do not have permission to see this page');
  const body = await page.locator('body').innerText();
  for (const secret of [PERSON.name, PERSON.words]) assert.ok(!body.includes(secret), `The 403 page should not show "${secret}"`);
  await checkAdminNavigation(page);
  await checks.check('the 403 page for the person');
}

/** The shorter pass at phone width: the admin's pages (errors included) once each, nothing scrolling sideways. */
async function adminAtPhoneWidth(browser: Browser, base: string, state: State): Promise<void> {
  assert.ok(state.userUrl !== undefined && state.personId !== undefined, 'The desktop journeys should have run first');
  const userPath = new URL(state.userUrl).pathname;
  const { page, context } = await newPage(browser, PHONE);
  const checks = new PageChecks(page, { overflow: true, suffix: 'phone' });
  try {
    await signIn(page, checks, base, ADMIN, DEMO_PASSWORD, '/admin');
    await checkAdminNavigation(page);
    await checks.check('the admin home');

    // The record-id lookup, with the id typed and Enter pressed in the field.
    await tabTo(page, page.getByLabel('Record id'), 'the record id field');
    await page.keyboard.type(state.personId);
    let response = await pressAndNavigate(page, 'Enter', pathIs(base, `/people/${state.personId}/audit`));
    assert.equal(response.status(), 200);
    await checks.check('the audit trail of the record');

    // A user, and disabling them without confirming.
    await followNavigation(page, base, 'Users', '/admin/users');
    await checks.check('the users');
    await tabTo(page, page.getByRole('link', { name: COORDINATOR.name, exact: true }), `the ${COORDINATOR.name} link`);
    response = await pressAndNavigate(page, 'Enter', pathIs(base, userPath));
    assert.equal(response.status(), 200);
    await checks.check('the user page');
    await tabTo(page, page.getByRole('button', { name: 'Disable account' }), 'the "Disable account" button');
    response = await pressAndNavigate(page, 'Enter', pathIs(base, `${userPath}/disable`));
    assert.equal(response.status(), 400);
    await checkErrorSummary(page, checks, [{ text: 'Select yes to confirm you want to disable this account', href: '#confirm' }]);
    await checks.check('the user page, disabling not confirmed');

    // A neighbourhood, changed wrongly.
    await followNavigation(page, base, 'Areas', '/admin/areas');
    await checks.check('the neighbourhoods');
    await tabTo(page, page.getByRole('link', { name: `${AREA.name} (change)`, exact: true }), `the ${AREA.name} link`);
    response = await pressAndNavigate(page, 'Enter', pathIs(base, AREA_PATH));
    assert.equal(response.status(), 200);
    await checks.check('the change neighbourhood form');
    await tabTo(page, page.getByLabel('Population (optional)'), 'the population field');
    await typeOver(page, 'about 7000');
    await tabTo(page, page.getByRole('button', { name: 'Save changes' }), 'the "Save changes" button', { max: 3 });
    response = await pressAndLoad(page, 'Enter', pathIs(base, AREA_PATH));
    assert.equal(response.status(), 400);
    await checkErrorSummary(page, checks, [{ text: 'Enter the population as a whole number, like 10200', href: '#population' }]);
    await checks.check('the change neighbourhood form with an error');

    await signOutByKeyboard(page, checks, base);
    checks.assertNone();
  } finally {
    await context.close();
  }
}

describe('a programme admin, by keyboard alone', () => {
  const state: State = {};
  const ready = useServerAndBrowser();

  test('adds a neighbourhood and changes it, then adds a coordinator to work in it (first getting both wrong)', async () => {
    const { base, browser: b } = ready();
    await adminAddsAreaAndCoordinator(b, base, state);
  });

  test('the new coordinator signs in with the password chosen and is offered the new neighbourhood', async () => {
    const { base, browser: b } = ready();
    await newCoordinatorWorksInTheArea(b, base);
  });

  test('the Marsh End coordinator records someone (whose record the admin will ask about)', async () => {
    const { base, browser: b } = ready();
    await marshEndCoordinatorRecordsSomeone(b, base, state);
  });

  test("disables the coordinator (ending their open session at once) and enables them; looks up who has seen a person's record, not seeing it", async () => {
    const { base, browser: b } = ready();
    const { page, context } = await newPage(b, DESKTOP);
    const checks = new PageChecks(page, { suffix: 'admin' });
    try {
      await signIn(page, checks, base, ADMIN, DEMO_PASSWORD, '/admin');
      await checks.check('the admin home');
      await disableAndEnable(b, page, checks, base, state);
      await lookUpARecord(page, checks, base, state);
      await signOutByKeyboard(page, checks, base);
      checks.assertNone();
    } finally {
      await context.close();
    }
  });

  test('at phone width, with nothing scrolling sideways', async () => {
    const { base, browser: b } = ready();
    await adminAtPhoneWidth(b, base, state);
  });
});
