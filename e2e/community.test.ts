/**
 * The community side in the browser, by keyboard alone, on one server and one browser for every step: a coordinator
 * adds an asset that meets weekly, finds what is nearest a postcode, links the asset to someone they walk alongside,
 * records an offer and an ask and confirms the match suggested, records an initiative with funding found, and logs
 * a system barrier. Then a manager imports an Open Referral UK example and reads the summary, and the Leadership
 * Group sees the barrier log as counts only. Every page visited is checked with axe.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { PERSON_PATH, PageChecks, newPage, pathIs, signIn, signOutByKeyboard, tabTo, visit as openAndCheck } from './support/browser.ts';
import * as keyboard from './support/keyboard.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from './support/server.ts';
import { useServerAndBrowser } from './support/session.ts';

const EXAMPLE = path.resolve(import.meta.dirname, '../reference/open-referral-uk/examples/service_full.json');
const ASSET = 'Wednesday craft circle';

let context: BrowserContext | undefined;
let page: Page;
let checks: PageChecks;
let base: string;

// ---------------------------------------------------------------------------------------------------------------
// The keyboard (see support/keyboard.ts), on this file's one page.

const typeInto = (field: Locator, what: string, text: string) => keyboard.typeInto(page, field, what, text);
const chooseRadio = (radio: Locator, what: string) => keyboard.chooseRadio(page, radio, what);
const tick = (box: Locator, what: string) => keyboard.tick(page, box, what);
const pick = (select: Locator, what: string, option: string, value: string) => keyboard.pick(page, select, what, option, value);
const submit = (target: Locator, what: string, url: RegExp, label: string) => keyboard.submitTo(page, checks, target, what, url, label);

const visit = (pathname: string, label: string) => openAndCheck(page, checks, base, pathname, label);

const button = (name: string) => page.getByRole('button', { name, exact: true });
const main = () => page.locator('main');

// ---------------------------------------------------------------------------------------------------------------

describe('the community side, by keyboard', () => {
  const serverAndBrowser = useServerAndBrowser();
  before(async () => {
    const { browser, base: url } = serverAndBrowser();
    base = url;
    ({ context, page } = await newPage(browser));
    checks = new PageChecks(page);
  });
  after(async () => {
    await context?.close();
  });

  test('a coordinator: an asset, the nearest to a postcode, a person’s asset, an offer matched to an ask, an initiative, a barrier', async () => {
    await signIn(page, checks, base, DEMO_ACCOUNTS.coordinator, DEMO_PASSWORD, '/people');
    const people = await main().locator(`a[href^="/people/"]`).evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
    const [firstPerson, secondPerson] = [...new Set(people.filter((href) => /^\/people\/[0-9a-f-]{36}$/.test(href)))];
    assert.ok(firstPerson !== undefined && secondPerson !== undefined, 'two people in the coordinator’s caseload');

    // A community asset that meets every Wednesday morning.
    await visit('/community', 'the community directory');
    await submit(button('Add a community asset'), 'Add a community asset', pathIs(base, '/community/assets/new'), 'the new asset form');
    await chooseRadio(page.locator('[name="category"][value="association"]'), 'an association or group');
    await typeInto(page.getByLabel('Name', { exact: true }), 'the name', ASSET);
    await typeInto(page.getByLabel('What is it?'), 'what it is', 'Knitting, sewing and a natter over tea.');
    await typeInto(page.getByLabel('Postcode (optional)'), 'the postcode', 'BF1 4QT');
    await pick(page.locator('[name="schedules.0.repeat"]'), 'how often', 'Every week', 'weekly');
    await pick(page.locator('[name="schedules.0.byday"]'), 'the day', 'Wednesday', 'WE');
    await typeInto(page.locator('[name="schedules.0.opens"]'), 'when it starts', '10am');
    await chooseRadio(page.locator('[name="public"][value="yes"]'), 'in the public directory');
    await submit(button('Add the community asset'), 'Add the community asset', pathIs(base, /\/community\/assets\/[0-9a-f-]{36}/), 'the new asset');
    assert.match(await main().innerText(), /Every Wednesday, from 10am/);

    // Nearest a postcode first.
    await visit('/community', 'the community directory');
    await typeInto(page.getByLabel('Nearest to a postcode'), 'the postcode to search near', 'BF1 4QT');
    await submit(button('Search'), 'Search', pathIs(base, '/community/search'), 'the directory searched by postcode');
    assert.match(await page.locator('#results').innerText(), /nearest BF1 4QT first/);
    assert.doesNotMatch(page.url(), /BF1/i, 'the postcode stays out of the address');
    const distances = await page.locator('.app-asset-list__item strong').allInnerTexts();
    const metres = distances.filter((d) => /from/.test(d) || /\d/.test(d)).map((d) => (d.includes(' km') ? Number(d.split(' km')[0]) * 1000 : Number(d.split(' m')[0])));
    assert.ok(metres.length > 3, 'distances shown');
    assert.deepEqual(metres, [...metres].sort((a, b) => a - b), 'nearest first');

    // The asset in someone's life.
    await visit(`${firstPerson}/assets/new`, 'adding a community asset to a person’s life');
    await chooseRadio(page.getByRole('radio', { name: new RegExp(ASSET) }), 'the new asset');
    await typeInto(page.getByLabel('What is it to them?'), 'what it is to them', 'Goes on Wednesdays with a neighbour');
    await submit(button('Add to their life'), 'Add to their life', pathIs(base, `${firstPerson}/assets`), 'the person’s community assets');
    assert.match(await main().innerText(), new RegExp(ASSET));

    // An offer from one person, an ask from another, and the match suggested.
    await visit(`${firstPerson}/offers/new?kind=offer`, 'a new offer');
    await chooseRadio(page.locator('[name="category"][value="furniture"]'), 'furniture');
    await typeInto(page.getByLabel('What exactly?'), 'what exactly', 'A dining table and four chairs');
    await submit(button('Record the offer'), 'Record the offer', pathIs(base, `${firstPerson}/offers`), 'the offers and asks of the first person');
    await visit(`${secondPerson}/offers/new?kind=ask`, 'a new ask');
    await chooseRadio(page.locator('[name="category"][value="furniture"]'), 'furniture');
    await typeInto(page.getByLabel('What exactly?'), 'what exactly', 'A table so the family can eat together');
    await submit(button('Record the ask'), 'Record the ask', pathIs(base, `${secondPerson}/offers`), 'the offers and asks of the second person');
    await submit(page.getByRole('link', { name: /Find a match/ }), 'Find a match', pathIs(base, `${secondPerson}/offers/match`), 'the suggested matches');
    await chooseRadio(page.locator('.govuk-radios__item', { hasText: 'A dining table and four chairs' }).locator('input'), 'the table offered');
    await submit(button('Confirm the match'), 'Confirm the match', pathIs(base, `${secondPerson}/offers`), 'the ask matched');
    assert.match(await main().innerText(), /Match confirmed/);

    // An initiative, and funding found for it.
    await visit('/community/capacity/new', 'a new initiative');
    await typeInto(page.getByLabel('Name', { exact: true }), 'the name', 'Tannery Row pairs');
    await chooseRadio(page.locator('[name="howHelped"][value="started"]'), 'helped start it');
    await typeInto(page.locator('[name="startedOn-day"]'), 'the day it started', '1');
    await typeInto(page.locator('[name="startedOn-month"]'), 'the month it started', '9');
    await typeInto(page.locator('[name="startedOn-year"]'), 'the year it started', '2026');
    await typeInto(page.getByLabel('How many people are involved?'), 'how many people', '12');
    await submit(button('Record it'), 'Record it', pathIs(base, /\/community\/capacity\/[0-9a-f-]{36}/), 'the new initiative');
    await typeInto(page.getByLabel('Amount'), 'the amount', '250.50');
    await typeInto(page.getByLabel('Who funded it'), 'who funded it', 'Brookfield community chest');
    // Already at the initiative's address: wait for the one the form sends back to, which says the funding was added.
    await submit(button('Add the funding'), 'Add the funding', pathIs(base, /\/community\/capacity\/[0-9a-f-]{36}\?funding=1/), 'the initiative with funding');
    assert.match(await page.locator('#funding').locator('xpath=following-sibling::*[1]').innerText(), /£250\.50/);

    // A system barrier.
    await visit('/barriers/new', 'a new system barrier');
    await typeInto(page.getByLabel('The barrier in a line'), 'the barrier', 'Housing forms only online');
    await typeInto(page.getByLabel('What happened'), 'what happened', 'Two people could not apply without a computer.');
    await tick(page.locator('[name="services"]').first(), 'a service involved');
    await submit(button('Record the barrier'), 'Record the barrier', pathIs(base, /\/barriers\/[0-9a-f-]{36}/), 'the new barrier');
    await signOutByKeyboard(page, checks, base);
    checks.assertNone();
  });

  test('a manager imports an Open Referral UK example and sees what was created', async () => {
    await signIn(page, checks, base, DEMO_ACCOUNTS.manager, DEMO_PASSWORD, '/people');
    await visit('/community/import', 'the Open Referral UK import');
    await tabTo(page, page.getByLabel('The Open Referral UK document'), 'the document', { max: keyboard.MAX_TABS });
    // Pasted, as a manager would paste a document they downloaded.
    await page.keyboard.insertText(await readFile(EXAMPLE, 'utf8'));
    await chooseRadio(page.locator('[name="areaId"]').first(), 'a neighbourhood');
    await chooseRadio(page.locator('[name="category"]').first(), 'a kind of asset');
    await chooseRadio(page.locator('[name="public"]').first(), 'the public directory');
    await submit(button('Import'), 'Import', pathIs(base, '/community/import'), 'the import summary');
    assert.match(await main().innerText(), /created/i);
    await signOutByKeyboard(page, checks, base);
    checks.assertNone();
  });

  test('the Leadership Group sees the barrier log as counts, with no one named and nothing to open', async () => {
    await signIn(page, checks, base, DEMO_ACCOUNTS.leadership, DEMO_PASSWORD, '/overview');
    await visit('/barriers', 'the barrier log for the Leadership Group');
    const text = await main().innerText();
    assert.match(text, /Housing forms only online/);
    assert.equal(await main().locator('a[href*="/people/"]').count(), 0, 'no person is linked');
    assert.doesNotMatch(text, PERSON_PATH);
    await signOutByKeyboard(page, checks, base);
    checks.assertNone();
  });
});
