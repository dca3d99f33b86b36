/**
 * Recording an introduction quickly, for tests whose subject is something else (who may see the person, how
 * their words are shown). The coordinator's keyboard journey does it key by key instead.
 */
import assert from 'node:assert/strict';
import type { Locator, Page, Response } from 'playwright-core';
import { PERSON_PATH, open, pathIs, type PageChecks } from './browser.ts';

export interface IntroductionFields {
  name: string;
  /** The label of a neighbourhood radio. */
  area: string;
  /** The text of an option of "Who introduced them?". */
  introducedBy: string;
  introducerName?: string;
  organisation?: string;
  /** Day, month and year as typed; left as the form has them (today) when absent. */
  date?: { day: string; month: string; year: string };
  words: string;
  /** The label of a "Does the person know about and agree to this introduction?" radio; yes when absent. */
  knows?: string;
}

/** The date of the introduction: the form also asks for a date of birth, with its own Day, Month and Year. */
export function introductionDate(page: Page): Locator {
  return page.getByRole('group', { name: 'When were they introduced?' });
}

/** Opens the form and fills every field in (check the page once it is filled in). */
export async function fillIntroduction(page: Page, base: string, fields: IntroductionFields): Promise<void> {
  const response = await open(page, `${base}/introductions/new`);
  assert.equal(response.status(), 200);
  await page.getByLabel("The person's name").fill(fields.name);
  await page.getByRole('radio', { name: fields.area }).check();
  await page.getByLabel('Who introduced them?').selectOption({ label: fields.introducedBy });
  await page.getByLabel("Introducer's name (optional)").fill(fields.introducerName ?? '');
  await page.getByLabel('Their organisation (optional)').fill(fields.organisation ?? '');
  if (fields.date !== undefined) {
    const date = introductionDate(page);
    await date.getByLabel('Day', { exact: true }).fill(fields.date.day);
    await date.getByLabel('Month', { exact: true }).fill(fields.date.month);
    await date.getByLabel('Year', { exact: true }).fill(fields.date.year);
  }
  await page.getByLabel('What would they like to change?').fill(fields.words);
  await page.getByRole('radio', { name: fields.knows ?? 'Yes, they know and agree' }).check();
}

/** Sends the form and waits for whatever page comes back: the person's page, or the form with errors. */
export async function submitIntroduction(page: Page, base: string): Promise<Response> {
  const [response] = await Promise.all([
    page.waitForResponse(
      (r) => r.request().isNavigationRequest() && r.request().frame() === page.mainFrame() && r.status() !== 303,
    ),
    page.waitForURL((url) => url.pathname !== '/introductions/new', { waitUntil: 'load' }),
    page.getByRole('button', { name: 'Record the introduction' }).click(),
  ]);
  assert.ok(pathIs(base, /\/(introductions|people\/.+)/).test(page.url()), `Unexpected page after recording an introduction: ${page.url()}`);
  return response;
}

/** The id in the address of a person's page. */
export function personIdOf(url: string): string {
  const match = PERSON_PATH.exec(new URL(url).pathname);
  assert.ok(match !== null, `${url} is not a person's page`);
  return match[0].slice('/people/'.length);
}

/** Records an introduction and returns the new person's id, checking the form and the person's page on the way. */
export async function recordIntroduction(page: Page, base: string, checks: PageChecks, fields: IntroductionFields): Promise<string> {
  await fillIntroduction(page, base, fields);
  await checks.check('the introduction form, filled in');
  const response = await submitIntroduction(page, base);
  assert.equal(response.status(), 200, `Recording ${fields.name} should lead to their page`);
  assert.match(page.url(), pathIs(base, PERSON_PATH));
  await checks.check("the person's page");
  return personIdOf(page.url());
}
