/**
 * The impact side in the browser, by keyboard, on one server and one browser with the demo programme. A coordinator
 * records two avoided outcomes for someone they walk alongside, finding each unit cost with the picker in a browser
 * without JavaScript (the picker is a plain search form). The manager finds them awaiting verification, returns one
 * with a reason and verifies the other; the coordinator reads the reason. The manager adds a line of funding and sees
 * it in the ledger; the admin changes a scenario's rate and sees its basis. Then the manager records the person's
 * consent to share a story, builds one from their record, edits it, marks it ready and finds it in the monthly
 * report, until a withdrawal takes it out. Every page visited is checked with axe; the avoided-outcome form and the
 * verification page at 390 px wide too.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BrowserContext, CDPSession, Locator, Page } from 'playwright-core';
import { DESKTOP, PERSON_PATH, PHONE, PageChecks, escapeRegExp, heading, newPage, pathIs, signIn, summaryValue, turnOffJavaScript, visit } from './support/browser.ts';
import { chooseRadio, submitTo, typeInto } from './support/keyboard.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from './support/server.ts';
import { useServerAndBrowser } from './support/session.ts';

/** Someone the Marsh End coordinator walks alongside, with no avoided outcome and no decision about a story yet. */
const PERSON = 'Nadia Brennan';
const EVICTION = 'HO1.0: Average fiscal cost of a complex eviction';
const A_AND_E = 'HE4.0: A&E attendance (all scenarios)';
const RETURN_REASON = 'Three visits seems high: how many were there in the six months before we met?';
const FUNDING = { partner: 'Housing', year: '2026/27', amount: '15000', shown: '£15,000.00' };
const BASIS = 'Deadweight from the 2026 Brookfield evaluation: about a third would have been avoided anyway.';
const STORY_HAPPENED = 'She and her coordinator opened the letters together, and the arrears went on a plan she can keep to.';

/** One person at the keyboard: their own browser profile, page and checks. */
interface Someone {
  context: BrowserContext;
  page: Page;
  checks: PageChecks;
  /** Set when their browser runs none of the pages' scripts. */
  scriptsOff?: CDPSession;
}

const reach = useServerAndBrowser();
let base: string;
let coordinator: Someone;
let manager: Someone;
/** Every browser profile opened, closed after the tests. */
const opened: BrowserContext[] = [];
/** The person's record, and the two avoided outcomes recorded for them. */
let personPath: string;
let evictionId: string;
let aAndEId: string;

async function someone(email: string, landsOn: string, options: { javaScript?: boolean } = {}): Promise<Someone> {
  const { browser } = reach();
  const { context, page } = await newPage(browser);
  opened.push(context);
  const scriptsOff = options.javaScript === false ? await turnOffJavaScript(page) : undefined;
  const checks = new PageChecks(page, scriptsOff === undefined ? {} : { suffix: 'without JavaScript', scriptsOff });
  await signIn(page, checks, base, email, DEMO_PASSWORD, landsOn);
  return { context, page, checks, ...(scriptsOff === undefined ? {} : { scriptsOff }) };
}

/** Tab to a link or button, press Enter, and check the page it leads to. */
function follow(who: Someone, target: Locator, what: string, url: RegExp, label: string): Promise<void> {
  return submitTo(who.page, who.checks, target, what, url, label);
}

const link = (who: Someone, name: string | RegExp) => who.page.locator('main').getByRole('link', { name, exact: typeof name === 'string' });
const button = (who: Someone, name: string) => who.page.getByRole('button', { name, exact: true });

/** Checks of someone's page at phone width, their browser's scripts on or off as they are. */
function phoneChecks(who: Someone): PageChecks {
  if (who.scriptsOff === undefined) return new PageChecks(who.page, { overflow: true, suffix: '390 px wide' });
  return new PageChecks(who.page, { overflow: true, suffix: '390 px wide, without JavaScript', scriptsOff: who.scriptsOff });
}

/** The page as it would be on a phone: axe again, and nothing may scroll sideways. */
async function checkAtPhoneWidth(who: Someone, checks: PageChecks, label: string): Promise<void> {
  await who.page.setViewportSize(PHONE);
  await checks.check(label);
  await who.page.setViewportSize(DESKTOP);
}

/** A unit cost's description, without its code. */
const descriptionOf = (cost: string) => cost.slice(cost.indexOf(': ') + 2);

/** The id of the avoided outcome an address points at (#outcome-…). */
function outcomeIdIn(url: string): string {
  const id = /#outcome-([0-9a-f-]{36})$/.exec(url)?.[1];
  assert.ok(id !== undefined, `${url} points at no avoided outcome`);
  return id;
}

/** Records an avoided outcome from the person's list of them, choosing the unit cost with the picker. */
async function recordAvoided(
  who: Someone,
  phone: PageChecks | undefined,
  input: { search: string; cost: string; quantity: string; likelihood: string; evidence: string; note: string },
): Promise<string> {
  const { page } = who;
  await follow(who, button(who, 'Record an avoided outcome'), 'Record an avoided outcome', pathIs(base, `${personPath}/avoided/new`), 'the avoided-outcome form');
  assert.equal(await heading(page), 'Record an avoided outcome');
  await typeInto(page, page.getByLabel('Search the unit-cost library'), 'the unit-cost search', input.search);
  await follow(who, button(who, 'Search'), 'Search', pathIs(base, `${personPath}/avoided/new`), `the avoided-outcome form, costs found for “${input.search}”`);
  assert.match(page.url(), /[?&]q=/, 'the search travels in the address: a plain form, no script');
  await chooseRadio(page, page.getByRole('radio', { name: input.cost, exact: true }), input.cost);
  await typeInto(page, page.getByLabel('How many times was it likely to happen?'), 'how many times', input.quantity);
  await typeInto(page, page.getByLabel('How likely was it, without Local Area Coordination?'), 'how likely', input.likelihood);
  await chooseRadio(page, page.getByRole('radio', { name: input.evidence, exact: true }), input.evidence);
  await typeInto(page, page.getByLabel('Note (optional)'), 'the note', input.note);
  if (phone !== undefined) await checkAtPhoneWidth(who, phone, 'the avoided-outcome form, filled in');
  await follow(who, button(who, 'Record the avoided outcome'), 'Record the avoided outcome', pathIs(base, `${personPath}/avoided`), 'the avoided outcomes, one just recorded');
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /Avoided outcome recorded\. A manager will verify it before it counts\./);
  const id = outcomeIdIn(page.url());
  const card = page.locator(`#outcome-${id}`);
  assert.equal((await card.locator('.govuk-summary-card__title').innerText()).trim(), `Awaiting verification: ${descriptionOf(input.cost)}`);
  // GMCA's Unit Cost Database, the library shared by every programme, named as its licence (CC BY 4.0) asks.
  assert.equal(await summaryValue(card, 'From'), 'Unit Cost Database v1.4, New Economy / Greater Manchester Combined Authority, CC BY 4.0 (import 1)');
  assert.equal(await summaryValue(card, 'How likely'), `${input.likelihood}%`);
  return id;
}

/** From the verification page, opens one avoided outcome and saves a decision on it. */
async function decide(who: Someone, outcomeId: string, decision: string, reason: string | undefined, notice: RegExp): Promise<void> {
  const { page } = who;
  await follow(who, page.locator(`main a[href$="#outcome-${outcomeId}"]`), `${PERSON}'s outcome to decide on`, pathIs(base, `${personPath}/avoided`), 'an avoided outcome to verify');
  const card = page.locator(`#outcome-${outcomeId}`);
  await chooseRadio(page, card.getByRole('radio', { name: decision, exact: true }), decision);
  if (reason !== undefined) await typeInto(page, card.getByLabel('If you return it: why?'), 'the reason', reason);
  await follow(who, card.getByRole('button', { name: 'Save the decision' }), 'Save the decision', pathIs(base, `${personPath}/avoided`), 'the avoided outcomes, decided');
  assert.match(await page.locator('.govuk-notification-banner').innerText(), notice);
}

/** The verification page, from the manager's menu: Cost avoided, then its link. */
async function openVerification(who: Someone): Promise<void> {
  await follow(who, who.page.getByRole('navigation').getByRole('link', { name: 'Cost avoided', exact: true }), 'Cost avoided in the menu', pathIs(base, '/impact/returns'), 'cost avoided and social return');
  await follow(who, link(who, 'Avoided outcomes to verify'), 'Avoided outcomes to verify', pathIs(base, '/impact/verification'), 'the avoided outcomes to verify');
}

/** What the monthly report's section of stories says. */
async function reportStories(who: Someone): Promise<string> {
  await visit(who.page, who.checks, base, '/overview/report', 'the monthly report');
  return who.page.locator('#stories-section').locator('xpath=..').innerText();
}

describe('the impact side, by keyboard', () => {
  before(() => {
    base = reach().base;
  });
  after(async () => {
    for (const context of opened) await context.close();
  });

  test('a coordinator records two avoided outcomes, choosing GMCA unit costs with the picker, without JavaScript', async () => {
    coordinator = await someone(DEMO_ACCOUNTS.coordinator, '/people', { javaScript: false });
    const { page, checks } = coordinator;
    await follow(coordinator, link(coordinator, PERSON), PERSON, pathIs(base, PERSON_PATH), `${PERSON}'s overview`);
    personPath = new URL(page.url()).pathname;
    assert.doesNotMatch(await page.evaluate(() => document.body.className), /js-enabled/, 'the page’s scripts did not run');
    await follow(coordinator, link(coordinator, 'See their avoided outcomes'), 'their avoided outcomes', pathIs(base, `${personPath}/avoided`), 'their avoided outcomes, none yet');
    assert.match(await page.locator('main').innerText(), /No avoided outcome has been recorded\./);

    const phone = phoneChecks(coordinator);
    evictionId = await recordAvoided(coordinator, phone, {
      search: 'eviction',
      cost: EVICTION,
      quantity: '1',
      likelihood: '60',
      evidence: 'From a record',
      note: 'A notice seeking possession had been served for rent arrears.',
    });
    aAndEId = await recordAvoided(coordinator, undefined, {
      search: 'A&E',
      cost: A_AND_E,
      quantity: '3',
      likelihood: '50',
      evidence: 'Practitioner judgement',
      note: 'Falls at home when the heating was off.',
    });
    phone.assertNone();
    checks.assertNone();
  });

  test('the manager returns one with a reason and verifies the other; the coordinator reads the reason', async () => {
    manager = await someone(DEMO_ACCOUNTS.manager, '/people');
    const { page, checks } = manager;
    await openVerification(manager);
    for (const [id, cost] of [
      [evictionId, EVICTION],
      [aAndEId, A_AND_E],
    ] as const) {
      const row = page.locator('main tr').filter({ has: page.locator(`a[href$="#outcome-${id}"]`) });
      assert.equal(await row.count(), 1, `${cost} awaits verification`);
      assert.match(await row.innerText(), new RegExp(`^${PERSON}\\s+Marsh End\\s+${escapeRegExp(cost)}\\s`));
    }
    const phone = phoneChecks(manager);
    await checkAtPhoneWidth(manager, phone, 'the avoided outcomes to verify');

    await decide(manager, aAndEId, 'No, return it to the coordinator with the reason below', RETURN_REASON, /returned to the coordinator with your reason/);
    await openVerification(manager);
    await decide(manager, evictionId, 'Yes, verify it: it counts', undefined, /Avoided outcome verified: it now counts\./);
    assert.match(await page.locator(`#outcome-${evictionId} .govuk-summary-card__title`).innerText(), /^Verified: /);
    await openVerification(manager);
    assert.equal(await page.locator(`main a[href*="${personPath}/avoided"]`).count(), 0, 'neither awaits verification any more');

    // The coordinator, on their next look at the record.
    await visit(coordinator.page, coordinator.checks, base, `${personPath}/avoided`, 'their avoided outcomes, one returned');
    const returned = coordinator.page.locator(`#outcome-${aAndEId}`);
    assert.equal((await returned.locator('.govuk-summary-card__title').innerText()).trim(), `Returned: ${descriptionOf(A_AND_E)}`);
    assert.equal(await summaryValue(returned, 'Why it was returned'), RETURN_REASON);
    assert.equal(await returned.getByRole('link', { name: /^Change and resubmit/ }).count(), 1, 'the coordinator can change it and send it again');
    phone.assertNone();
    checks.assertNone();
    coordinator.checks.assertNone();
  });

  test('the manager adds a line of funding and sees it in the ledger', async () => {
    const { page, checks } = manager;
    await follow(manager, page.getByRole('navigation').getByRole('link', { name: 'Cost avoided', exact: true }), 'Cost avoided in the menu', pathIs(base, '/impact/returns'), 'cost avoided and social return');
    await follow(manager, link(manager, 'Investment'), 'Investment', pathIs(base, '/impact/investment'), 'the investment ledger');
    await chooseRadio(page, page.getByRole('radio', { name: FUNDING.partner, exact: true }), FUNDING.partner);
    await typeInto(page, page.getByLabel('Financial year', { exact: true }), 'the financial year', FUNDING.year);
    await typeInto(page, page.getByLabel('Amount', { exact: true }), 'the amount', FUNDING.amount);
    await follow(manager, button(manager, 'Add the funding'), 'Add the funding', pathIs(base, '/impact/investment'), 'the investment ledger, a line added');
    const line = page.locator('main tr').filter({ hasText: FUNDING.partner });
    assert.equal(await line.count(), 1, 'one line for the partner');
    assert.match(await line.innerText(), new RegExp(`^${escapeRegExp(FUNDING.year)}\\s+${FUNDING.partner}\\s+${escapeRegExp(FUNDING.shown)}\\s`));
    checks.assertNone();
  });

  test('the admin changes a scenario’s rate and sees it with its basis', async () => {
    const admin = await someone(DEMO_ACCOUNTS.admin, '/admin');
    const { page, checks } = admin;
    await follow(admin, page.getByRole('navigation').getByRole('link', { name: 'Scenarios', exact: true }), 'Scenarios in the menu', pathIs(base, '/admin/scenarios'), 'the scenarios');
    await follow(admin, link(admin, /^Change the Core scenario/), 'Change the Core scenario', pathIs(base, '/admin/scenarios/core'), 'the Core scenario form');
    // The scenario's own deadweight: the form for a particular cost's rates below has one too.
    await typeInto(page, page.locator('#deadweight'), 'the deadweight', '35');
    await typeInto(page, page.getByLabel('Where these rates come from'), 'where the rates come from', BASIS);
    await follow(admin, button(admin, 'Save the scenario'), 'Save the scenario', pathIs(base, '/admin/scenarios'), 'the scenarios, one changed');
    const core = page.locator('#core');
    assert.equal(await summaryValue(core, 'Deadweight'), '35%');
    assert.equal(await summaryValue(core, 'Where the rates come from'), BASIS);
    assert.match(await summaryValue(core, 'Set by'), /^[^,]+, \d/, 'who set it, and when');
    checks.assertNone();
  });

  test('the manager records consent, builds a story from the record, marks it ready for the report; a withdrawal takes it out', async () => {
    const { page, checks } = manager;
    await follow(manager, page.getByRole('navigation').getByRole('link', { name: 'People', exact: true }), 'People in the menu', pathIs(base, '/people'), 'the people');
    // The whole programme is a long list: found by name.
    await typeInto(page, page.getByLabel('Search by name or postcode'), 'the search', PERSON);
    await follow(manager, button(manager, 'Search'), 'Search', pathIs(base, '/people/search'), 'the people found');
    await follow(manager, link(manager, PERSON), PERSON, pathIs(base, personPath), `${PERSON}'s overview`);
    const overview = page.locator('main');
    assert.equal(await summaryValue(overview, 'Sharing their story'), 'Not asked yet');

    await follow(manager, link(manager, 'Record their decision about sharing their story'), 'their consent', pathIs(base, `${personPath}/story-consent`), 'their consent to share a story');
    await chooseRadio(page, page.getByRole('radio', { name: 'They agree to an anonymised story being shared' }), 'they agree');
    await chooseRadio(page, page.getByRole('radio', { name: 'In person', exact: true }), 'in person');
    await follow(manager, button(manager, 'Record their decision'), 'Record their decision', pathIs(base, `${personPath}/story-consent`), 'their consent, given');
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /Their decision is recorded/);

    await follow(manager, link(manager, 'Build an anonymised story from their record'), 'Build a story', pathIs(base, '/stories/new'), 'a story built from their record');
    assert.equal(await heading(page), 'Build a story');
    // Filled in from the record: the verified eviction is the indicative cost; the returned A&E visits are not.
    assert.notEqual(await page.getByLabel('Indicative costs avoided, in pounds (optional)').inputValue(), '');
    const costsText = await page.getByLabel('What the costs are (optional)').inputValue();
    assert.match(costsText, /complex eviction/);
    assert.doesNotMatch(costsText, /A&E/);
    for (const field of ['Initial', 'What mattered to them', 'What happened']) {
      assert.doesNotMatch(await page.getByLabel(field, { exact: true }).inputValue(), /Nadia|Brennan/, `${field} does not name them`);
    }
    await typeInto(page, page.getByLabel('What happened'), 'what happened', STORY_HAPPENED);
    await follow(manager, button(manager, 'Save the story'), 'Save the story', /\/stories\/[0-9a-f-]{36}\?created=1$/, 'the story, a draft');
    const storyPath = new URL(page.url()).pathname;
    assert.equal(await summaryValue(page.locator('main'), 'Status'), 'Draft');

    await follow(manager, button(manager, 'Change the story'), 'Change the story', pathIs(base, `${storyPath}/change`), 'changing the story');
    await typeInto(page, page.getByLabel('Age', { exact: true }), 'the age', 'in their 30s');
    await chooseRadio(page, page.getByRole('radio', { name: 'Yes: ready for the Leadership Group’s report' }), 'ready for the report');
    await follow(manager, button(manager, 'Save the story'), 'Save the story', pathIs(base, storyPath), 'the story, ready');
    assert.equal(await summaryValue(page.locator('main'), 'Status'), 'Ready for the report');
    assert.equal(await summaryValue(page.locator('main'), 'What happened'), STORY_HAPPENED);
    const initial = (await heading(page)).split(',')[0] ?? '';

    let report = await reportStories(manager);
    assert.match(report, new RegExp(`${initial}, in their 30s`));
    assert.ok(report.includes(STORY_HAPPENED), 'the story is in the report');

    // They change their mind: the overview says so, and the story leaves the report at once.
    await visit(page, checks, base, personPath, `${PERSON}'s overview`);
    assert.match(await summaryValue(overview, 'Sharing their story'), /^Consent given\s+Decided on .+, recorded by /);
    await follow(manager, link(manager, 'Change their decision about sharing their story'), 'their consent', pathIs(base, `${personPath}/story-consent`), 'their consent to share a story, given');
    await chooseRadio(page, page.getByRole('radio', { name: 'They no longer agree' }), 'they no longer agree');
    await chooseRadio(page, page.getByRole('radio', { name: 'By phone', exact: true }), 'by phone');
    await follow(manager, button(manager, 'Record their decision'), 'Record their decision', pathIs(base, `${personPath}/story-consent`), 'their consent, withdrawn');
    await visit(page, checks, base, personPath, `${PERSON}'s overview, consent withdrawn`);
    assert.match(await summaryValue(overview, 'Sharing their story'), /^Consent withdrawn\s+Decided on /);
    report = await reportStories(manager);
    assert.ok(!report.includes(STORY_HAPPENED), 'the story has left the report');
    assert.match(report, /in their 40s/, 'the other stories stay');
    checks.assertNone();
  });
});
