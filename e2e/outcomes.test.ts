/**
 * A coordinator looks at how far someone in the demo has travelled, then records a check-in by keyboard, first with
 * a number out of range. Every page, the error state included, is checked with axe, and at phone width nothing may
 * scroll sideways (the tables scroll inside their own focusable region instead).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { DESKTOP, PHONE, PageChecks, heading, newPage, open, pathIs, pressAndNavigate, signIn, tabTo } from './support/browser.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from './support/server.ts';
import { useServerAndBrowser } from './support/session.ts';

const reach = useServerAndBrowser();

/** Gareth Pryce's record, from the coordinator's list of people. */
async function garethPath(page: Page, base: string): Promise<string> {
  await open(page, `${base}/people`);
  const href = await page.getByRole('link', { name: 'Gareth Pryce' }).first().getAttribute('href');
  assert.ok(href !== null && href.startsWith('/people/'), 'Gareth Pryce is on the Marsh End list');
  return href;
}

describe("a person's outcomes in the browser", () => {
  for (const [size, viewport] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    test(`distance travelled, service use and the check-in form are accessible (${size})`, async () => {
      const { base, browser } = reach();
      const { context, page } = await newPage(browser, viewport);
      const checks = new PageChecks(page, { overflow: size === 'phone', suffix: size });
      try {
        await signIn(page, checks, base, DEMO_ACCOUNTS.coordinator, DEMO_PASSWORD, '/people');
        const person = await garethPath(page, base);
        await open(page, `${base}${person}`);
        const link = page.getByRole('link', { name: 'See their outcomes and distance travelled' });
        await tabTo(page, link, 'the link to their outcomes', { max: 80 });
        await pressAndNavigate(page, 'Enter', pathIs(base, `${person}/outcomes`));
        await checks.check('the outcomes page');
        const lonely = page.getByRole('row', { name: /How often they feel lonely/ });
        assert.match(await lonely.innerText(), /Some of the time\s+Hardly ever\s+2 steps less often: better/);
        assert.match(await page.getByRole('row', { name: /Eviction proceedings/ }).innerText(), /1 \(known[^)]*\)\s+0 \(known[^)]*\)\s+1 fewer/);

        await open(page, `${base}${person}/outcomes/check-ins/new`);
        assert.equal(await heading(page), 'Record a check-in');
        await checks.check('the check-in form');
        const life = page.getByLabel('Overall, how satisfied are you with your life nowadays?');
        await tabTo(page, life, 'the life satisfaction box', { max: 80 });
        await page.keyboard.type('12');
        const refused = await pressAndNavigate(page, 'Enter', pathIs(base, `${person}/outcomes/check-ins`));
        assert.equal(refused.status(), 400);
        const summary = page.locator('.govuk-error-summary');
        assert.match(await summary.innerText(), /Life satisfaction must be a whole number from 0 to 10/);
        assert.equal(await life.inputValue(), '12', 'what was typed is kept');
        await checks.check('the check-in form with problems');

        await open(page, `${base}${person}/outcomes/service-use/new`);
        assert.equal(await heading(page), 'Record service use');
        await checks.check('the service-use form');
        checks.assertNone();
      } finally {
        await context.close();
      }
    });
  }
});
