/**
 * Filling in forms by keyboard alone: fields are reached with Tab in the order a page lists them, from wherever focus
 * is (the top of a freshly loaded page), as someone who does not use a mouse would.
 */
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { describeFocus, isFocused, pressAndLoad, pressAndNavigate, tabTo, type PageChecks } from './browser.ts';

/** Long forms: the header, navigation and every field before the one wanted. */
export const MAX_TABS = 150;

/** Tab to a box, select what it holds and type over it. */
export async function typeInto(page: Page, field: Locator, what: string, text: string): Promise<void> {
  await tabTo(page, field, what, { max: MAX_TABS });
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(text);
}

/**
 * A radio: Tab into its group, then the arrow keys to the one wanted (which chooses it). A group is the radios of
 * one name in one form: a page with a form per item (a decision on each) has several groups of the same name.
 */
export async function chooseRadio(page: Page, radio: Locator, what: string): Promise<void> {
  const inGroup = () => radio.evaluate((r) => {
    const focused = document.activeElement;
    return focused instanceof HTMLInputElement && focused.name === (r as HTMLInputElement).name && focused.form === (r as HTMLInputElement).form;
  });
  for (let i = 0; i < MAX_TABS && !(await inGroup()); i += 1) await page.keyboard.press('Tab');
  for (let i = 0; i < 40 && !(await isFocused(radio)); i += 1) await page.keyboard.press('ArrowDown');
  // Tabbing into a group with nothing chosen stops on its first radio without choosing it.
  if ((await isFocused(radio)) && !(await radio.isChecked())) await page.keyboard.press('Space');
  assert.ok(await radio.isChecked(), `Expected ${what} to be chosen, but focus is on ${await describeFocus(page)}`);
}

/** A checkbox: Tab to it and press Space. */
export async function tick(page: Page, box: Locator, what: string): Promise<void> {
  await tabTo(page, box, what, { max: MAX_TABS });
  await page.keyboard.press('Space');
  assert.ok(await box.isChecked(), `Expected ${what} to be ticked`);
}

/** A select: Tab to it and type the start of the option wanted, as a keyboard user does. */
export async function pick(page: Page, select: Locator, what: string, option: string, value: string): Promise<void> {
  await tabTo(page, select, what, { max: MAX_TABS });
  await page.keyboard.type(option);
  assert.equal(await select.inputValue(), value, `Expected ${what} to be ${option}`);
}

/** Tab to a button or link, press Enter, and land on a page at `url` that answers 200; the page is then checked. */
export async function submitTo(page: Page, checks: PageChecks, target: Locator, what: string, url: RegExp, label: string): Promise<void> {
  await tabTo(page, target, what, { max: MAX_TABS });
  // A form that answers at the address the page is already at (the import's summary) is waited for by its load:
  // waiting for the address would be over before the answer came.
  const response = url.test(page.url()) ? await pressAndLoad(page, 'Enter', url) : await pressAndNavigate(page, 'Enter', url);
  const problems = await page.locator('.govuk-error-summary').allInnerTexts();
  assert.equal(response.status(), 200, `${what} led to ${response.status()} at ${page.url()}: ${problems.join(' ')}`);
  await checks.check(label);
}
