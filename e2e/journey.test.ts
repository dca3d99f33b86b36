/**
 * One person's whole journey with the programme, by keyboard alone, as their coordinator records it between
 * conversations: the introduction, getting to know them, their vision and circle, a shared agreement and steps,
 * the journal, a safeguarding concern that never blocks the record, and resting with the door open. Walked at
 * phone width and at desktop width, each with someone new. Then the manager sees the team, the open concerns and
 * the introductions waiting, and gives one a coordinator.
 * Every page is checked with axe; at phone width nothing may scroll sideways. The mouse is never used: locators
 * only check where focus is and what the page says.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import {
  DESKTOP,
  PERSON_PATH,
  PHONE,
  PageChecks,
  assertFocused,
  heading,
  isFocused,
  newPage,
  pathIs,
  pressAndLoad,
  pressAndNavigate,
  signIn,
  signOutByKeyboard,
  summaryValue,
  tabTo,
} from './support/browser.ts';
import { personIdOf } from './support/introductions.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from './support/server.ts';
import { useServerAndBrowser } from './support/session.ts';

// ---------------------------------------------------------------------------------------------------------------
// Dates, as the server (in Europe/London) and the pages (2 November 2026) see them

interface DateParts {
  day: string;
  month: string;
  year: string;
}

/** Today in the UK, moved by a number of days, as a form's Day, Month and Year. */
function ukDay(offsetDays: number): DateParts {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'numeric', year: 'numeric' }).formatToParts(new Date());
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const moved = new Date(Date.UTC(part('year'), part('month') - 1, part('day') + offsetDays, 12));
  return { day: String(moved.getUTCDate()), month: String(moved.getUTCMonth() + 1), year: String(moved.getUTCFullYear()) };
}

/** A date as the pages write it: 2 November 2026. */
function shown(date: DateParts): string {
  const at = new Date(Date.UTC(Number(date.year), Number(date.month) - 1, Number(date.day), 12));
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(at);
}

// ---------------------------------------------------------------------------------------------------------------
// Keyboard helpers for the forms of the record

/**
 * Tab (or Shift+Tab) to `target`, the way someone looking at the screen would choose: forwards when it comes after
 * where they are, backwards when it comes before. Where they are is the focused element or, when nothing has focus
 * yet, the part of the page the address's #fragment scrolled to (the browser starts tabbing from there).
 */
async function reach(page: Page, target: Locator, what: string, max = 60): Promise<void> {
  assert.equal(await target.count(), 1, `Expected exactly one ${what} on ${page.url()}`);
  if (await isFocused(target)) return;
  const backwards = await target.evaluate((el) => {
    const active = document.activeElement;
    const from = active !== null && active !== document.body ? active : document.getElementById(decodeURIComponent(location.hash.slice(1)));
    return from !== null && (from.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_PRECEDING) !== 0;
  });
  await tabTo(page, target, what, { backwards, max });
}

/** Reaches a link or button and presses Enter; the page at `url` loads with 200 (even when it is the same address). */
async function follow(page: Page, target: Locator, what: string, url: RegExp): Promise<void> {
  await reach(page, target, what);
  const response = url.test(page.url()) ? await pressAndLoad(page, 'Enter', url) : await pressAndNavigate(page, 'Enter', url);
  assert.equal(response.status(), 200, `Following ${what} should lead to a page, not ${response.status()} (${page.url()})`);
}

/** Types text, pressing Enter between lines as someone writing a few lines would. */
async function typeLines(page: Page, lines: string | readonly string[]): Promise<void> {
  for (const [i, line] of (typeof lines === 'string' ? [lines] : lines).entries()) {
    if (i > 0) await page.keyboard.press('Enter');
    await page.keyboard.type(line);
  }
}

/** Reaches a field and types into it, replacing anything the form put there. */
async function fillIn(page: Page, field: Locator, what: string, text: string | readonly string[]): Promise<void> {
  await reach(page, field, what);
  if ((await field.inputValue()) !== '') await page.keyboard.press('Control+A');
  await typeLines(page, text);
  assert.equal((await field.inputValue()).replace(/\r\n/g, '\n'), typeof text === 'string' ? text : text.join('\n'), `${what} should hold what was typed`);
}

/**
 * Chooses a radio: Tab into its group (focus lands on the checked radio, or on the first when none is), the arrow
 * keys to the option, and Space to be sure it is checked.
 */
async function chooseRadio(page: Page, radio: Locator, what: string): Promise<void> {
  const name = await radio.getAttribute('name');
  assert.ok(name !== null, `${what} should be a named radio`);
  // Its group is in its own form: a page may hold several forms with radios of the same name (one per step).
  const group = radio.locator('xpath=ancestor::form[1]').locator(`input[type="radio"][name="${name}"]`);
  const landing = Math.max(0, await group.evaluateAll((radios) => radios.findIndex((r) => (r as HTMLInputElement).checked)));
  await reach(page, group.nth(landing), `the group of ${what}`);
  for (let i = 0; i < 12 && !(await isFocused(radio)); i += 1) await page.keyboard.press('ArrowDown');
  await assertFocused(page, radio, what);
  await page.keyboard.press('Space');
  assert.ok(await radio.isChecked(), `${what} should be checked`);
}

/** Reaches a checkbox and ticks it with Space. */
async function tick(page: Page, checkbox: Locator, what: string): Promise<void> {
  await reach(page, checkbox, what);
  assert.ok(!(await checkbox.isChecked()), `${what} should not be ticked yet`);
  await page.keyboard.press('Space');
  assert.ok(await checkbox.isChecked(), `${what} should be ticked`);
}

/** Types a date into a GOV.UK date input (Day, Month, Year), replacing what the form put there. */
async function typeDate(page: Page, group: Locator, date: DateParts, what: string): Promise<void> {
  const day = group.getByLabel('Day', { exact: true });
  await reach(page, day, `the Day of ${what}`);
  for (const [i, [label, value]] of ([['Day', date.day], ['Month', date.month], ['Year', date.year]] as const).entries()) {
    const field = group.getByLabel(label, { exact: true });
    if (i > 0) {
      await page.keyboard.press('Tab');
      await assertFocused(page, field, `the ${label} of ${what}`);
    }
    await page.keyboard.press('Control+A');
    await page.keyboard.type(value);
    assert.equal(await field.inputValue(), value);
  }
}

/** Chooses an option of a closed select with the arrow keys (typing ahead would too, but against a 1 s timer). */
async function chooseOption(page: Page, select: Locator, text: string, what: string): Promise<void> {
  await reach(page, select, what);
  const chosen = async () => (await select.locator('option:checked').innerText()).trim();
  for (let i = 0; i < 30 && (await chosen()) !== text; i += 1) await page.keyboard.press('ArrowDown');
  assert.equal(await chosen(), text, `The arrow keys should reach "${text}" in ${what}`);
}

/** The texts of the cells of the one table row that mentions `name`, as the page shows them. */
async function rowOf(scope: Locator, name: string): Promise<string[]> {
  const row = scope.getByRole('row').filter({ hasText: name });
  assert.equal(await row.count(), 1, `Expected one row for ${name} on ${scope.page().url()}`);
  return (await row.locator('th, td').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
}

// ---------------------------------------------------------------------------------------------------------------
// The journey

interface CircleMemberFields {
  name: string;
  relationship: string;
  howTheyHelp: string;
  /** The label of a "How close are they?" radio. */
  closeness: string;
  /** The label of a "What kind of support is this?" radio. */
  kind: string;
}

interface Journey {
  label: string;
  viewport: { width: number; height: number };
  /** At phone width every page is also checked for sideways scrolling. */
  overflow: boolean;
  name: string;
  postcode: string;
  /** The text of an option of "Who introduced them?", and how the timeline says it. */
  introducedBy: { option: string; timeline: string };
  introducerName: string;
  organisation: string;
  words: string[];
  vision: string[];
  /** Two labels of "What they want to change", in the order of the list; the first gets a note in their words. */
  themes: [string, string];
  themeNote: string;
  whatMatters: string;
  gifts: string;
  family: CircleMemberFields;
  community: CircleMemberFields;
  agreement: { workingOn: string; whoDoesWhat: string; keepingInTouch: string };
  /** One step under each of the three questions, in the model's order; the first is later marked done. */
  steps: { gifts: string; community: { what: string; owner: string }; services: { what: string; owner: string } };
  journal: { minutes: string; notes: string[] };
  concern: { what: string; done: string; informedWho: string; informedOrganisation: string };
}

/** How many days before today the journal entry happened: "Last contact" must show that day, not today. */
const JOURNAL_DAYS_AGO = 3;
/** When the shared agreement is to be looked at again. */
const REVIEW_IN_DAYS = 56;

/** What the journeys left for the manager to find. */
const recorded = { concernsFor: [] as string[], resting: 0 };

async function walkAlongside(browser: Browser, base: string, journey: Journey): Promise<void> {
  const { page, context } = await newPage(browser, journey.viewport);
  const checks = new PageChecks(page, { overflow: journey.overflow, suffix: journey.label });
  const check = (label: string) => checks.check(label);
  const main = page.getByRole('main');
  const personNav = (text: string) => page.getByRole('navigation', { name: `${journey.name}'s record` }).getByRole('link', { name: text, exact: true });
  try {
    // 1. Sign in, and record the introduction.
    await signIn(page, checks, base, DEMO_ACCOUNTS.coordinator, DEMO_PASSWORD, '/people');
    assert.equal(await heading(page), 'People I walk alongside');
    await check('the caseload');
    await follow(page, main.getByRole('button', { name: 'Record an introduction' }), 'the "Record an introduction" button', pathIs(base, '/introductions/new'));
    await check('the introduction form');

    await fillIn(page, page.getByLabel("The person's name"), "the person's name field", journey.name);
    await fillIn(page, page.getByLabel('Postcode (optional)'), 'the postcode field', journey.postcode);
    await chooseRadio(page, page.getByRole('radio', { name: 'Marsh End' }), 'the "Marsh End" radio');
    await chooseOption(page, page.getByLabel('Who introduced them?'), journey.introducedBy.option, 'the "Who introduced them?" select');
    await fillIn(page, page.getByLabel("Introducer's name (optional)"), "the introducer's name field", journey.introducerName);
    await fillIn(page, page.getByLabel('Their organisation (optional)'), 'the organisation field', journey.organisation);
    // The day of the introduction is today, as the form has it.
    await fillIn(page, page.getByLabel('What would they like to change?'), 'the "What would they like to change?" field', journey.words);
    await chooseRadio(page, page.getByRole('radio', { name: 'Yes, they know and agree' }), 'the "Yes, they know and agree" radio');
    await check('the introduction form, filled in');
    await follow(page, page.getByRole('button', { name: 'Record the introduction' }), 'the "Record the introduction" button', pathIs(base, PERSON_PATH));
    const personPath = `/people/${personIdOf(page.url())}`;
    const overview = pathIs(base, personPath);

    assert.equal(await heading(page), journey.name);
    assert.equal(await summaryValue(main, 'Status'), 'Introduced');
    assert.equal(await summaryValue(main, 'Introduced by'), journey.introducedBy.option);
    assert.equal(await summaryValue(main, 'Introducer'), `${journey.introducerName}, ${journey.organisation}`);
    assert.equal(await summaryValue(main, 'What they would like to change'), journey.words.join('\n'));
    assert.equal(await summaryValue(main, 'Do they know and agree?'), 'Yes, they know and agree');
    assert.ok((await summaryValue(main, 'Address')).includes(journey.postcode), 'The postcode is part of their address');
    assert.equal(await summaryValue(main, 'Last contact'), 'No conversation recorded yet');
    await check("the person's overview");

    // 2. Getting to know them.
    const changeStatus = async (choice: string) => {
      await follow(page, main.getByRole('link', { name: 'Change status', exact: true }), 'the "Change status" link', pathIs(base, `${personPath}/status`));
      assert.equal(await heading(page), 'Change status');
      await check('the status page');
      await chooseRadio(page, page.getByRole('radio', { name: choice, exact: true }), `the "${choice}" radio`);
      await follow(page, page.getByRole('button', { name: 'Save status' }), 'the "Save status" button', overview);
      assert.equal(await summaryValue(main, 'Status'), choice);
      await check(`the overview, ${choice.toLowerCase()}`);
    };
    await changeStatus('Getting to know');

    // 3. Their vision of a good life, what they want to change, what matters and their gifts.
    await follow(page, personNav('Vision, gifts and what matters'), 'the "Vision, gifts and what matters" link', pathIs(base, `${personPath}/about`));
    assert.equal(await heading(page), 'Vision, gifts and what matters');
    await check('their vision, gifts and what matters, empty');

    await follow(page, main.getByRole('button', { name: 'Record their vision' }), 'the "Record their vision" button', pathIs(base, `${personPath}/vision`));
    await check('the vision form');
    await fillIn(page, page.getByLabel('Their vision of a good life'), 'the vision field', journey.vision);
    await follow(page, page.getByRole('button', { name: 'Save their vision' }), 'the "Save their vision" button', pathIs(base, `${personPath}/about`));
    assert.equal((await main.locator('.govuk-inset-text').innerText()).replace(/\r\n/g, '\n').trim(), journey.vision.join('\n'), 'Their vision is shown in their words');
    await check('their vision, recorded');

    await follow(page, main.getByRole('button', { name: 'Choose what they want to change' }), 'the "Choose what they want to change" button', pathIs(base, `${personPath}/themes`));
    assert.equal(await heading(page), 'What they want to change');
    await check('the themes form');
    await tick(page, page.getByRole('checkbox', { name: journey.themes[0], exact: true }), `the "${journey.themes[0]}" checkbox`);
    // Ticking reveals a box for a note in their words, straight after the checkbox.
    await fillIn(page, page.getByLabel(`About ${journey.themes[0].toLowerCase()}, in their words (optional)`), `the note about ${journey.themes[0]}`, journey.themeNote);
    await tick(page, page.getByRole('checkbox', { name: journey.themes[1], exact: true }), `the "${journey.themes[1]}" checkbox`);
    await check('the themes form, two chosen');
    await follow(page, page.getByRole('button', { name: 'Save', exact: true }), 'the "Save" button', pathIs(base, `${personPath}/about`));
    assert.equal(await summaryValue(main, journey.themes[0]), journey.themeNote);
    assert.equal(await summaryValue(main, journey.themes[1]), 'No note');
    await check('their vision and what they want to change');

    await follow(page, main.getByRole('button', { name: 'Change what matters and their gifts' }), 'the "Change what matters and their gifts" button', pathIs(base, `${personPath}/what-matters`));
    await check('the what matters form');
    await fillIn(page, page.getByLabel('What matters to them'), 'the "What matters to them" field', journey.whatMatters);
    await fillIn(page, page.getByLabel('Gifts', { exact: true }), 'the "Gifts" field', journey.gifts);
    await follow(page, page.getByRole('button', { name: 'Save', exact: true }), 'the "Save" button', pathIs(base, `${personPath}/about`));
    assert.equal(await summaryValue(main, 'What matters to them'), journey.whatMatters);
    assert.equal(await summaryValue(main, 'Gifts'), journey.gifts);
    assert.equal(await summaryValue(main, 'Skills'), 'Not written down yet');
    await check('their vision, gifts and what matters, filled in');

    // 4. Their circle of support: someone from their family and somewhere in their community.
    await follow(page, personNav('Circle of support'), 'the "Circle of support" link', pathIs(base, `${personPath}/circle`));
    await check('the circle of support, empty');
    for (const [i, member] of [journey.family, journey.community].entries()) {
      await follow(page, main.getByRole('button', { name: 'Add someone to the circle' }), 'the "Add someone to the circle" button', pathIs(base, `${personPath}/circle/add`));
      await check('the form to add someone to the circle');
      await fillIn(page, page.getByLabel('Their name'), 'the "Their name" field', member.name);
      await fillIn(page, page.getByLabel(`Who they are to ${journey.name}`), 'the relationship field', member.relationship);
      await fillIn(page, page.getByLabel('How they help (optional)'), 'the "How they help" field', member.howTheyHelp);
      await chooseRadio(page, page.getByRole('radio', { name: member.closeness, exact: true }), `the "${member.closeness}" radio`);
      await chooseRadio(page, page.getByRole('radio', { name: member.kind, exact: true }), `the "${member.kind}" radio`);
      await follow(page, page.getByRole('button', { name: 'Add to the circle' }), 'the "Add to the circle" button', pathIs(base, `${personPath}/circle`));
      assert.ok((await main.innerText()).includes('Added to the circle'), 'The circle page says they were added');
      await check(`the circle of support, with ${i + 1} ${i === 0 ? 'person' : 'people'}`);
    }
    const diagram = main.locator('svg.app-circle-diagram[role="img"]');
    assert.equal(await diagram.count(), 1, 'The circle is drawn as one SVG picture');
    assert.equal(await diagram.getAttribute('aria-labelledby'), 'circle-now-title');
    assert.equal((await diagram.locator('title').textContent())?.trim(), `${journey.name}’s circle of support`);
    const description = (await diagram.locator('desc').textContent()) ?? '';
    for (const member of [journey.family, journey.community]) {
      assert.ok(description.includes(member.name), `The diagram's text alternative names ${member.name}: ${description}`);
      const cells = await rowOf(main, member.name);
      assert.ok(cells.includes(member.relationship) && cells.includes(member.howTheyHelp), `The list shows ${member.name}: ${cells.join(' | ')}`);
    }
    assert.equal(await summaryValue(main, 'Natural supports'), '2 of 2 are family, friends, neighbours or community');

    // 5. The shared agreement, then a step under each of the three questions.
    await follow(page, personNav('Shared agreement and steps'), 'the "Shared agreement and steps" link', pathIs(base, `${personPath}/agreement`));
    await check('the shared agreement, not yet agreed');
    await follow(page, main.getByRole('button', { name: 'Record the shared agreement' }), 'the "Record the shared agreement" button', pathIs(base, `${personPath}/agreement/new`));
    await check('the shared agreement form');
    await fillIn(page, page.getByLabel('What will we work on together?'), 'the "What will we work on together?" field', journey.agreement.workingOn);
    await fillIn(page, page.getByLabel('Who does what?'), 'the "Who does what?" field', journey.agreement.whoDoesWhat);
    await fillIn(page, page.getByLabel('How will we keep in touch?'), 'the "How will we keep in touch?" field', journey.agreement.keepingInTouch);
    const review = ukDay(REVIEW_IN_DAYS);
    await typeDate(page, page.getByRole('group', { name: 'When will we look at it again together? (optional)' }), review, 'the review date');
    await follow(page, page.getByRole('button', { name: 'Save the shared agreement' }), 'the "Save the shared agreement" button', pathIs(base, `${personPath}/agreement`));
    assert.equal(await summaryValue(main, 'What we will work on together'), journey.agreement.workingOn);
    assert.equal(await summaryValue(main, 'When we look at it again'), shown(review));
    assert.equal(await summaryValue(main, 'Agreed on'), shown(ukDay(0)));
    await check('the shared agreement, agreed');

    const stepsToAdd = [
      { question: 'gifts', what: journey.steps.gifts, owner: undefined },
      { question: 'community', ...journey.steps.community },
      { question: 'services', ...journey.steps.services },
    ] as const;
    for (const step of stepsToAdd) {
      const addLink = main.locator(`a[href="${personPath}/agreement/steps/new?question=${step.question}"]`);
      await follow(page, addLink, `the "Add a step" link under the ${step.question} question`, pathIs(base, `${personPath}/agreement/steps/new`));
      await check(`the form to add a step (${step.question})`);
      // The question is already chosen, as the link said; a step with their gifts is theirs unless we say otherwise.
      assert.ok(await page.locator(`input[name="question"][value="${step.question}"]`).isChecked(), 'The question of the link is chosen');
      await fillIn(page, page.getByLabel('What is the step?'), 'the "What is the step?" field', step.what);
      const owner = page.getByLabel('Who will do it?');
      if (step.owner === undefined) assert.equal(await owner.inputValue(), journey.name, 'A step with their gifts starts as theirs');
      else await fillIn(page, owner, 'the "Who will do it?" field', step.owner);
      await follow(page, page.getByRole('button', { name: 'Add the step' }), 'the "Add the step" button', pathIs(base, `${personPath}/agreement`));
      await check(`the shared agreement, with a step under the ${step.question} question`);
    }
    const headings = await main.locator('h3, h4').allInnerTexts();
    const at = (text: string) => headings.indexOf(text);
    assert.ok(
      at(`What ${journey.name} will do with their gifts, skills and experience`) < at(journey.steps.gifts) &&
        at(journey.steps.gifts) < at('What family, friends and community will do') &&
        at('What family, friends and community will do') < at(journey.steps.community.what) &&
        at(journey.steps.community.what) < at('What services and funding will do') &&
        at('What services and funding will do') < at(journey.steps.services.what),
      `Each step is under its question, in the model's order: ${headings.join(' | ')}`,
    );
    assert.ok(
      (await main.locator('#thinking-natural-share').innerText()).includes('67% of the steps are with'),
      'Two of the three steps are with them, family, friends and community',
    );

    // 6. A home visit in the journal, linked to a step and to someone in their circle.
    await follow(page, personNav('Journal and timeline'), 'the "Journal and timeline" link', pathIs(base, `${personPath}/timeline`));
    await check('the journal and timeline');
    await follow(page, main.getByRole('button', { name: 'Add to the journal' }), 'the "Add to the journal" button', pathIs(base, `${personPath}/journal/new`));
    await check('the journal form');
    const contact = ukDay(-JOURNAL_DAYS_AGO);
    await typeDate(page, page.getByRole('group', { name: 'When did it happen?' }), contact, 'the day of the visit');
    await chooseRadio(page, page.getByRole('radio', { name: 'A home visit', exact: true }), 'the "A home visit" radio');
    await chooseRadio(page, page.getByRole('radio', { name: 'A conversation', exact: true }), 'the "A conversation" radio');
    await fillIn(page, page.getByLabel('How long did it take? (optional)'), 'the duration field', journey.journal.minutes);
    await fillIn(page, page.getByLabel('What happened?'), 'the "What happened?" field', journey.journal.notes);
    await tick(page, page.getByRole('checkbox', { name: journey.steps.gifts, exact: true }), 'the checkbox of their first step');
    await tick(page, page.getByRole('checkbox', { name: journey.family.name, exact: true }), `the checkbox of ${journey.family.name}`);
    await check('the journal form, filled in');
    await follow(page, page.getByRole('button', { name: 'Add to the journal' }), 'the "Add to the journal" button', pathIs(base, `${personPath}/timeline`));
    const entry = main.locator('li[id^="journal-"]');
    assert.equal(await entry.count(), 1, 'The entry is on the timeline');
    const entryText = await entry.innerText();
    for (const part of ['A conversation: a home visit', shown(contact), `${journey.journal.minutes} minutes`, ...journey.journal.notes, journey.steps.gifts, `${journey.family.name} (circle of support)`]) {
      assert.ok(entryText.includes(part), `The journal entry shows "${part}": ${entryText}`);
    }
    await check('the timeline with the journal entry');

    // 7. Walking alongside now; their first step is done.
    await follow(page, personNav('Overview'), 'the "Overview" link', overview);
    await check('the overview, after the home visit');
    await changeStatus('Walking alongside');
    await follow(page, personNav('Shared agreement and steps'), 'the "Shared agreement and steps" link', pathIs(base, `${personPath}/agreement`));
    const firstStep = main.locator('.govuk-summary-card').filter({ has: page.getByRole('heading', { name: journey.steps.gifts, exact: true }) });
    const changeFirst = firstStep.locator('summary');
    await reach(page, changeFirst, 'the "Change this step" of their first step');
    await page.keyboard.press('Enter');
    assert.equal(await firstStep.locator('details').getAttribute('open'), '', 'Enter opens "Change this step"');
    await check('the shared agreement, changing a step');
    await chooseRadio(page, firstStep.getByRole('radio', { name: 'Done', exact: true }), 'the "Done" radio of their first step');
    await follow(page, firstStep.getByRole('button', { name: 'Save the step' }), 'the "Save the step" button', pathIs(base, `${personPath}/agreement`));
    assert.equal(await summaryValue(firstStep, 'Where it is up to'), 'Done');
    await check('the shared agreement, one step done');

    // 8. The timeline brings it all together.
    await follow(page, personNav('Journal and timeline'), 'the "Journal and timeline" link', pathIs(base, `${personPath}/timeline`));
    const titles = (await main.locator('li > h3').allInnerTexts()).map((t) => t.trim());
    const count = (title: string) => titles.filter((t) => t === title).length;
    const expected: [string, number][] = [
      [`Introduced by ${journey.introducedBy.timeline}`, 1],
      ['A conversation: a home visit', 1],
      ['Status: getting to know', 1],
      ['Status: walking alongside', 1],
      ['Shared agreement agreed', 1],
      ['Step added', 3],
      ['Step changed: now done', 1],
      [`${journey.family.name} joined the circle of support`, 1],
      [`${journey.community.name} joined the circle of support`, 1],
    ];
    for (const [title, times] of expected) {
      assert.equal(count(title), times, `The timeline should show "${title}" ${times} time(s); it shows: ${titles.join(' | ')}`);
    }
    await check('the whole timeline');

    // 9. A safeguarding concern: recorded, noticed on the overview, and the record carries on.
    await follow(page, personNav('Safeguarding'), 'the "Safeguarding" link', pathIs(base, `${personPath}/concerns`));
    await check('the safeguarding page, no concern');
    await follow(page, main.getByRole('button', { name: 'Record a safeguarding concern' }), 'the "Record a safeguarding concern" button', pathIs(base, `${personPath}/concerns/new`));
    await check('the safeguarding concern form');
    assert.equal(await page.getByLabel('Who raised it?').inputValue(), 'Amara Okafor', 'The coordinator raising it is filled in');
    await fillIn(page, page.getByLabel('What is the concern?'), 'the "What is the concern?" field', journey.concern.what);
    await fillIn(page, page.getByLabel('What was done? (optional)'), 'the "What was done?" field', journey.concern.done);
    await fillIn(page, page.getByLabel('Who was informed, and by whom? (optional)'), 'the "Who was informed" field', journey.concern.informedWho);
    await fillIn(page, page.getByLabel('Their organisation (optional)'), 'the organisation informed', journey.concern.informedOrganisation);
    await follow(page, page.getByRole('button', { name: 'Record the concern' }), 'the "Record the concern" button', pathIs(base, `${personPath}/concerns`));
    const concern = main.locator('[id^="concern-"]');
    assert.equal(await concern.count(), 1, 'The concern is listed');
    const concernText = await concern.innerText();
    assert.ok(concernText.includes(`Open: raised on ${shown(ukDay(0))}`), `The concern is open: ${concernText}`);
    for (const part of [journey.concern.what, journey.concern.done, journey.concern.informedWho, journey.concern.informedOrganisation]) {
      assert.ok(concernText.includes(part), `The concern shows "${part}": ${concernText}`);
    }
    await check('the safeguarding page with the concern');
    recorded.concernsFor.push(journey.name);

    await follow(page, personNav('Overview'), 'the "Overview" link', overview);
    const notice = main.locator('.govuk-inset-text').getByRole('link', { name: '1 open safeguarding concern', exact: true });
    assert.equal(await notice.count(), 1, 'The overview notes the open concern');
    assert.equal(await notice.getAttribute('href'), `${personPath}/concerns`);
    // Nothing is held back: every part of the record is still there to open.
    for (const section of ['Vision, gifts and what matters', 'Circle of support', 'Shared agreement and steps', 'Journal and timeline', 'Safeguarding']) {
      assert.equal(await personNav(section).count(), 1, `"${section}" is still offered`);
    }
    await check('the overview with an open concern');

    // 10. The overview: last contact, and their journey so far.
    assert.equal(await summaryValue(main, 'Last contact'), `${shown(contact)} (${JOURNAL_DAYS_AGO} days ago)`);
    const visionShown = await summaryValue(main, 'Vision of a good life');
    assert.ok(visionShown.startsWith(journey.vision.join('\n')), `The vision is shown in their words: ${visionShown}`);
    assert.ok(visionShown.includes(`Said on ${shown(ukDay(0))}`), visionShown);
    assert.equal(await summaryValue(main, 'What they want to change'), journey.themes.join(', '));
    assert.equal(await summaryValue(main, 'Circle of support'), '2 people, 2 of them family, friends, neighbours or community');
    assert.equal(await summaryValue(main, 'Steps'), '2 open; 67% with them, family, friends and community (thinking natural)');
    assert.equal(await summaryValue(main, 'Next review'), shown(review));

    // 11. Resting, with the door open; they stay on the coordinator's list.
    await changeStatus('Resting (door open)');
    assert.equal(await summaryValue(main, 'Last contact'), `${shown(contact)} (${JOURNAL_DAYS_AGO} days ago)`, 'Resting keeps the last contact');
    recorded.resting += 1;
    await follow(page, page.getByRole('link', { name: 'Back to people' }), 'the "Back to people" link', pathIs(base, '/people'));
    const cells = await rowOf(main.getByRole('table'), journey.name);
    const row = cells.join(' | ');
    assert.ok(row.includes('Resting (door open)'), `${journey.name} is listed as resting: ${row}`);
    assert.ok(row.includes(`${shown(contact)} ${JOURNAL_DAYS_AGO} days ago`), `Their last contact is listed: ${row}`);
    await check('the caseload with them resting');

    await signOutByKeyboard(page, checks, base);
    checks.assertNone();
  } finally {
    await context.close();
  }
}

/** The manager at desktop width: the team, the open concerns, and an introduction waiting for a coordinator. */
async function managerSeesTheProgramme(browser: Browser, base: string): Promise<void> {
  const { page, context } = await newPage(browser, DESKTOP);
  const checks = new PageChecks(page, { suffix: 'manager' });
  const check = (label: string) => checks.check(label);
  const main = page.getByRole('main');
  const menu = (text: string) => page.locator('.govuk-service-navigation').getByRole('link', { name: text, exact: true });
  try {
    await signIn(page, checks, base, DEMO_ACCOUNTS.manager, DEMO_PASSWORD, '/people');
    assert.equal(await heading(page), 'People the programme walks alongside');
    await check('the programme caseload');

    await follow(page, menu('Your team'), 'the "Your team" link', pathIs(base, '/team'));
    assert.equal(await heading(page), 'Your team');
    const caseloads = main.getByRole('table', { name: 'People each coordinator walks alongside, by status' });
    // Read by the column headings, so the columns may be arranged as suits a phone.
    const head = (await caseloads.locator('thead th').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    const counted = ['People (not moved on)', 'Introduced', 'Getting to know', 'Walking alongside', 'Resting (door open)', 'Moved on'];
    for (const column of counted) assert.ok(head.includes(column), `The caseloads have a "${column}" column: ${head.join(' | ')}`);
    for (const [coordinator, area] of [['Amara Okafor', 'Marsh End'], ['Tom Hughes', 'Hollins Park']] as const) {
      const cells = await rowOf(caseloads, coordinator);
      assert.ok(cells.join(' | ').includes(area), `${coordinator} works in ${area}: ${cells.join(' | ')}`);
      for (const column of counted) assert.match(cells[head.indexOf(column)] ?? '', /^\d+$/, `${coordinator}'s "${column}" is counted: ${cells.join(' | ')}`);
    }
    const amara = await rowOf(caseloads, 'Amara Okafor');
    assert.ok(
      Number(amara[head.indexOf('Resting (door open)')]) >= recorded.resting,
      `The ${recorded.resting} people the journeys left resting are counted in Amara Okafor's caseload: ${amara.join(' | ')}`,
    );
    await check('your team');

    await follow(page, menu('Safeguarding concerns'), 'the "Safeguarding concerns" link', pathIs(base, '/concerns'));
    assert.equal(await heading(page), 'Open safeguarding concerns');
    assert.ok(recorded.concernsFor.length > 0, 'The journeys should have recorded a concern first');
    for (const name of recorded.concernsFor) {
      const cells = await rowOf(main.getByRole('table'), name);
      assert.ok(cells.includes('Marsh End') && cells.includes(shown(ukDay(0))), `The concern about ${name}, raised today in Marsh End, is listed: ${cells.join(' | ')}`);
    }
    await check('the open safeguarding concerns');

    await follow(page, menu('Introductions waiting'), 'the "Introductions waiting" link', pathIs(base, '/introductions/waiting'));
    assert.equal(await heading(page), 'Introductions waiting for a coordinator');
    const hollinsPark = main.getByRole('table', { name: /waiting in Hollins Park$/ });
    assert.equal((await rowOf(hollinsPark, 'Derek Foyle')).at(0), 'Derek Foyle', 'Derek Foyle waits in Hollins Park');
    await check('the introductions waiting');
    await follow(page, main.getByRole('link', { name: 'Choose a coordinator for Derek Foyle' }), 'the "Choose a coordinator" link for Derek Foyle', pathIs(base, /\/people\/[0-9a-f-]{36}\/coordinator/));
    assert.equal(await heading(page), 'Choose a coordinator');
    await check('choosing a coordinator for Derek Foyle');
    await chooseRadio(page, page.getByRole('radio', { name: 'Tom Hughes', exact: true }), 'the "Tom Hughes" radio');
    await follow(page, page.getByRole('button', { name: 'Save coordinator' }), 'the "Save coordinator" button', pathIs(base, PERSON_PATH));
    assert.equal(await heading(page), 'Derek Foyle');
    assert.equal(await summaryValue(main, 'Coordinator'), 'Tom Hughes');
    await check("Derek Foyle's overview");

    await follow(page, menu('Introductions waiting'), 'the "Introductions waiting" link', pathIs(base, '/introductions/waiting'));
    assert.equal(await main.getByText('Derek Foyle', { exact: false }).count(), 0, 'Derek Foyle is no longer waiting');
    await check('the introductions waiting, without Derek Foyle');

    await signOutByKeyboard(page, checks, base);
    checks.assertNone();
  } finally {
    await context.close();
  }
}

describe('walking alongside someone from introduction to resting, by keyboard alone', () => {
  const ready = useServerAndBrowser();

  test('at phone width, with nothing scrolling sideways', async () => {
    const { base, browser } = ready();
    await walkAlongside(browser, base, {
      label: 'phone',
      viewport: PHONE,
      overflow: true,
      name: 'Rosalind Achterberg',
      postcode: 'BF2 7QN',
      introducedBy: { option: 'A neighbour', timeline: 'a neighbour' },
      introducerName: 'Wilf Osei',
      organisation: 'Cobbler Street residents',
      words: ['Since the stroke I hardly go out.', 'I used to sing in a choir and I miss it.'],
      vision: ['Singing again, with people who know my name.', 'Getting to the shops on my own by the spring.'],
      themes: ['Physical health and long-term conditions', 'Loneliness and isolation'],
      themeNote: 'My right hand is still weak since the stroke.',
      whatMatters: 'My sister Hetty, my garden, and Radio 3 in the mornings.',
      gifts: 'A good alto voice; patience with children.',
      family: { name: 'Hetty Achterberg', relationship: 'sister', howTheyHelp: 'Rings every evening at six', closeness: 'Closest', kind: 'Family' },
      community: { name: 'Marsh End Community Choir', relationship: 'choir at the Methodist hall', howTheyHelp: 'Wednesday practice, lifts offered', closeness: 'Around them', kind: 'Community: a group or a place' },
      agreement: {
        workingOn: 'Getting back to singing, and to the shops on her own.',
        whoDoesWhat: 'Rosalind goes to one choir practice. Hetty comes along the first time. Amara asks about the bus pass.',
        keepingInTouch: 'A phone call on Monday mornings.',
      },
      steps: {
        gifts: 'Go to the Wednesday choir practice',
        community: { what: 'Come along to the first practice', owner: 'Hetty' },
        services: { what: 'Apply for a disabled person’s bus pass', owner: 'Brookfield Council travel team' },
      },
      journal: { minutes: '50', notes: ['Tea at Rosalind’s. She sang a verse of Jerusalem.', 'Wants Hetty to come to the first practice.'] },
      concern: {
        what: 'Rosalind said a man at the door pressed her to pay for roof repairs she did not ask for.',
        done: 'Talked it through with her; she agreed to a door chain and a “no cold callers” sticker.',
        informedWho: 'The PCSO for Marsh End, told by Amara Okafor on the phone',
        informedOrganisation: 'Brookfield Police',
      },
    });
  });

  test('at desktop width', async () => {
    const { base, browser } = ready();
    await walkAlongside(browser, base, {
      label: 'desktop',
      viewport: DESKTOP,
      overflow: false,
      name: 'Ifeoluwa Grantham',
      postcode: 'BF2 9LD',
      introducedBy: { option: 'GP or primary care', timeline: 'GP or primary care' },
      introducerName: 'Dr Hannah Lowe',
      organisation: 'Marsh End Surgery',
      words: ['Lost my job at the depot in the summer and the days are long.'],
      vision: ['Fixing things for people again, and a reason to get up in the morning.'],
      themes: ['Money and debt', 'Learning, volunteering and work'],
      themeNote: 'The redundancy money is nearly gone.',
      whatMatters: 'My son Samuel, and keeping the flat.',
      gifts: 'Can mend almost anything with an engine.',
      family: { name: 'Samuel Grantham', relationship: 'son', howTheyHelp: 'Drops in after college', closeness: 'Close', kind: 'Family' },
      community: { name: 'Brookfield Repair Café', relationship: 'repair café at the library', howTheyHelp: 'Saturday mornings', closeness: 'Around them', kind: 'Community: a group or a place' },
      agreement: {
        workingOn: 'Finding somewhere to use his skills, and getting on top of the bills.',
        whoDoesWhat: 'Ifeoluwa visits the Repair Café. Samuel helps with the online forms. Amara finds money advice.',
        keepingInTouch: 'Coffee at the library every other Thursday.',
      },
      steps: {
        gifts: 'Mend a lawnmower at the Repair Café',
        community: { what: 'Help with the online forms', owner: 'Samuel' },
        services: { what: 'An appointment with the money advice service', owner: 'Citizens Advice Brookfield' },
      },
      journal: { minutes: '40', notes: ['Visited at home. Talked about the depot and what he misses about it.'] },
      concern: {
        what: 'Ifeoluwa mentioned he has not eaten properly for a week because the money has run out.',
        done: 'Food bank voucher given the same day; he agreed to a money advice appointment.',
        informedWho: 'Adult social care duty desk, told by Amara Okafor',
        informedOrganisation: 'Brookfield Council',
      },
    });
  });

  test('the manager sees the team, the open concerns, and gives an introduction waiting a coordinator', async () => {
    const { base, browser } = ready();
    await managerSeesTheProgramme(browser, base);
  });
});

