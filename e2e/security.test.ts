/**
 * Security check 6: XSS vectors and naughty strings in every field of the introduction form, and every page the
 * coordinator can reach rendered in Chromium: no dialog, no Content Security Policy violation, nothing injected
 * into the page, and every value shown literally, exactly as it was typed.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  DESKTOP,
  PageChecks,
  heading,
  newPage,
  open,
  pathIs,
  signIn,
  summaryValue,
  watchPage,
  type PageWatch,
} from './support/browser.ts';
import { fillIntroduction, introductionDate, personIdOf, submitIntroduction } from './support/introductions.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from './support/server.ts';
import { useServerAndBrowser } from './support/session.ts';

/** Script injection in the contexts a value can land in: element text, attributes, textarea, title, URLs, templates. */
const XSS = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'><svg onload=alert(1)>",
  '</textarea><script>alert(1)</script>',
  '</title><script>alert(1)</script>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<a href="javascript:alert(1)">click me</a>',
  'javascript:alert(1)',
  '{{7*7}}',
  '{{ range.constructor("alert(1)")() }}',
  '{% raw %}{{7*7}}{% endraw %}',
  '${7*7} #{7*7} <%= 7*7 %>',
  '<style>body{display:none}</style>',
  '<body onload=alert(1)>',
  '&lt;b&gt;already escaped&lt;/b&gt; &amp;amp;',
];

/** A few lines in the spirit of the Big List of Naughty Strings. */
const NAUGHTY = [
  'O\'Brien "Nell" & Sons <Ltd>',
  'undefined',
  'null',
  'NaN',
  '0 -1 1e309 0x0',
  "' OR '1'='1' --",
  '1; DROP TABLE people; --',
  '%s %d %n %x',
  '../../../../etc/passwd',
  '¡™£¢∞§¶•ªº–≠ œ∑´®†¥¨ˆøπ“‘',
  'Ω≈ç√∫˜µ≤≥÷ åß∂ƒ©˙∆˚¬…æ',
  '田中さんにあげて下さい 사회과학원 어학연구소',
  'Ѐ Ё Ђ Ѓ Є Ѕ І Ї Ј Љ Њ Ћ Ќ Ѝ Ў Џ',
  'مرحبا بالعالم שלום עולם',
  'left\u202Eright-to-left override\u202C end',
  'zero\u200Bwidth\u200Djoiner',
  '👩🏽‍🚒 🏳️‍🌈 ❤️ 🇬🇧 1️⃣',
  'Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇',
  'ｓｃｒｉｐｔ ＜ｓｃｒｉｐｔ＞',
  'Roses are \u001b[0;31mred\u001b[0m',
];

const PAYLOADS = [...XSS, ...NAUGHTY];
const MAX_SHORT_FIELD = 200;
const SEPARATOR = ' | ';

/** Payloads packed into groups that each fit a 200-character field, so every payload lands in every field. */
function groups(payloads: readonly string[], max: number): string[][] {
  const result: string[][] = [];
  let current: string[] = [];
  for (const payload of payloads) {
    assert.ok(payload.length <= max, `Payload too long for a field: ${payload}`);
    if ([...current, payload].join(SEPARATOR).length > max) {
      result.push(current);
      current = [];
    }
    current.push(payload);
  }
  if (current.length > 0) result.push(current);
  return result;
}

/** What the person is recorded as, one per group of payloads. */
const PEOPLE = groups(PAYLOADS, MAX_SHORT_FIELD - 10).map((group, i) => ({
  name: `P${i + 1} ${group.join(SEPARATOR)}`,
  introducerName: [...group].reverse().join(SEPARATOR),
  organisation: group.join(' '),
  // Every payload on a line of its own in the multi-line field.
  words: PAYLOADS.join('\n'),
}));

/**
 * Fields are stored trimmed and shown as text: compare what was typed with what is shown with runs of spaces
 * collapsed (as HTML shows them) and control characters as spaces (as Chromium shows them in a title).
 */
function shown(text: string): string {
  return text
    .replace(/\r\n/g, '\n')
    .split('\n')
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is being normalised
    .map((line) => line.replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/\s+/g, ' ').trim())
    .join('\n')
    .trim();
}

/** Elements or attributes that should never be in the page: what a successful injection would leave behind. */
async function injected(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    for (const el of document.querySelectorAll('*')) {
      for (const attribute of el.attributes) {
        if (attribute.name.startsWith('on')) found.push(`<${el.tagName.toLowerCase()} ${attribute.name}="${attribute.value}">`);
        const isUrl = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data'].includes(attribute.name);
        if (isUrl && /^\s*javascript:/i.test(attribute.value)) found.push(`<${el.tagName.toLowerCase()} ${attribute.name}="${attribute.value}">`);
      }
    }
    for (const script of document.querySelectorAll('script')) {
      // The page's own scripts carry the CSP nonce or come from /javascripts.
      if (script.nonce === '' && !script.src.includes('/javascripts/')) found.push(`<script src="${script.src}">${script.text.slice(0, 60)}`);
    }
    for (const el of document.querySelectorAll('iframe, svg[onload], img[src="x"], body style, main style')) {
      found.push(`<${el.tagName.toLowerCase()}> in the page`);
    }
    return found;
  });
}

/** After a page has been rendered (and axe has run on it): no dialog, no CSP violation, nothing injected. */
async function checkNothingRan(page: Page, watch: PageWatch, checks: PageChecks, label: string): Promise<void> {
  await checks.check(label);
  const violations = await watch.cspViolations();
  const elements = await injected(page);
  checks.expect(watch.dialogs.length === 0, `A dialog opened on ${label}: ${watch.dialogs.join('; ')}`);
  checks.expect(violations.length === 0, `CSP violations on ${label} (${page.url()}): ${violations.join('; ')}`);
  checks.expect(watch.consoleCsp.length === 0, `CSP messages on the console on ${label}: ${watch.consoleCsp.join('; ')}`);
  checks.expect(watch.pageErrors.length === 0, `Uncaught script errors on ${label}: ${watch.pageErrors.join('; ')}`);
  checks.expect(elements.length === 0, `Injected markup on ${label} (${page.url()}): ${elements.join('; ')}`);
  watch.dialogs.length = 0;
  watch.consoleCsp.length = 0;
  watch.pageErrors.length = 0;
}

describe('XSS and naughty strings in every field, every page the coordinator can reach', () => {
  const ready = useServerAndBrowser();

  test('the watchers notice a dialog, a CSP violation and injected markup (a control for the test below)', async () => {
    const { base, browser: b } = ready();
    const { page, context } = await newPage(b, DESKTOP);
    try {
      const watch = await watchPage(page);
      await open(page, `${base}/sign-in`);
      assert.deepEqual(await watch.cspViolations(), [], 'The sign-in page itself causes no CSP violation');
      // Script the way an injection would: inline handlers and inline scripts, which the CSP must refuse.
      await page.evaluate(() => {
        const holder = document.createElement('div');
        holder.innerHTML = '<img src="x" onerror="alert(1)">';
        document.body.append(holder);
        const script = document.createElement('script');
        script.textContent = 'alert(2)';
        document.body.append(script);
      });
      await page.waitForFunction(() => (window.__cspViolations ?? []).length >= 2);
      assert.ok((await watch.cspViolations()).length >= 2, 'Both the handler and the inline script are reported');
      assert.deepEqual(watch.dialogs, [], 'The CSP stopped both');
      assert.ok((await injected(page)).length > 0, 'The injected image is noticed');
      // A dialog opened by script the CSP does not govern (here, the test's own) is noticed too.
      await page.evaluate(() => {
        alert('control');
      });
      assert.equal(watch.dialogs.length, 1, 'The dialog is noticed');
      assert.ok(watch.consoleCsp.length > 0, 'Chromium also reports the violations on the console');
    } finally {
      await context.close();
    }
  });

  test('every value is shown literally and nothing runs', async () => {
    const { base, browser: b } = ready();
    const { page, context } = await newPage(b, DESKTOP);
    const checks = new PageChecks(page, { suffix: 'security' });
    try {
      const watch = await watchPage(page);
      const nothingRan = (label: string) => checkNothingRan(page, watch, checks, label);

      // The sign-in page sends back the email it was given: send it a payload.
      await open(page, `${base}/sign-in`);
      await nothingRan('the sign-in page');
      const emailPayload = '"><script>alert(1)</script>@example.com';
      await page.getByLabel('Email address').fill(emailPayload);
      await page.getByLabel('Password', { exact: true }).fill('not the password');
      const [refused] = await Promise.all([
        page.waitForResponse((r) => r.request().isNavigationRequest() && r.request().method() === 'POST'),
        page.waitForURL(pathIs(base, '/sign-in'), { waitUntil: 'load' }),
        page.getByRole('button', { name: 'Sign in' }).click(),
      ]);
      assert.ok([400, 401].includes(refused.status()), `A bad sign-in is refused (got ${refused.status()})`);
      assert.equal(await page.getByLabel('Email address').inputValue(), emailPayload, 'The email is kept as typed');
      await nothingRan('the sign-in page with an error');

      await signIn(page, checks, base, DEMO_ACCOUNTS.coordinator, DEMO_PASSWORD, '/people');
      await nothingRan('the empty caseload');

      const ids: string[] = [];
      for (const [i, person] of PEOPLE.entries()) {
        // The first time, the date gets payloads too, so the form comes back with an error and every value in it.
        const withErrors = i === 0;
        await fillIntroduction(page, base, {
          name: person.name,
          area: 'Marsh End',
          introducedBy: 'Someone else',
          introducerName: person.introducerName,
          organisation: person.organisation,
          words: person.words,
          ...(withErrors ? { date: { day: XSS[0] ?? '', month: XSS[1] ?? '', year: XSS[8] ?? '' } } : {}),
        });
        await nothingRan(`the introduction form for person ${i + 1}`);
        let response = await submitIntroduction(page, base);
        if (withErrors) {
          assert.equal(response.status(), 400, 'A date made of payloads is refused');
          assert.match(page.url(), pathIs(base, '/introductions'));
          await nothingRan('the introduction form with errors, holding every payload');
          // Everything typed comes back exactly as typed.
          assert.equal(await page.getByLabel("The person's name").inputValue(), person.name);
          assert.equal(await page.getByLabel("Introducer's name (optional)").inputValue(), person.introducerName);
          assert.equal(await page.getByLabel('Their organisation (optional)').inputValue(), person.organisation);
          assert.equal(await page.getByLabel('What would they like to change?').inputValue(), person.words);
          assert.equal(await introductionDate(page).getByLabel('Day', { exact: true }).inputValue(), XSS[0]);
          assert.equal(await introductionDate(page).getByLabel('Month', { exact: true }).inputValue(), XSS[1]);
          assert.equal(await introductionDate(page).getByLabel('Year', { exact: true }).inputValue(), XSS[8]);
          const errorText = await page.locator('.govuk-error-summary').innerText();
          assert.ok(errorText.includes('real date'), `The error summary explains the date: ${errorText}`);
          // Put a real date in (today, as the person would) and send it again.
          const now = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'numeric', year: 'numeric' }).formatToParts(new Date());
          const part = (type: string) => now.find((p) => p.type === type)?.value ?? '';
          await introductionDate(page).getByLabel('Day', { exact: true }).fill(part('day'));
          await introductionDate(page).getByLabel('Month', { exact: true }).fill(part('month'));
          await introductionDate(page).getByLabel('Year', { exact: true }).fill(part('year'));
          response = await submitIntroduction(page, base);
        }
        assert.equal(response.status(), 200, `Person ${i + 1} is recorded`);
        ids.push(personIdOf(page.url()));
        await nothingRan(`the page of person ${i + 1}`);

        // Shown literally: the name in the heading and the title, the introducer, the words line by line.
        assert.equal(shown(await heading(page)), shown(person.name), `Person ${i + 1}'s name is shown as typed`);
        const title = await page.title();
        assert.ok(shown(title).includes(shown(person.name)), `Person ${i + 1}'s name is in the title as typed: ${JSON.stringify(title)}`);
        const main = page.getByRole('main');
        assert.equal(shown(await summaryValue(main, 'Introducer')), shown(`${person.introducerName}, ${person.organisation}`));
        assert.equal(shown(await summaryValue(main, 'What they would like to change')), shown(person.words));
        assert.equal(await summaryValue(main, 'Introduced by'), 'Someone else');
      }

      // The caseload lists every one of them, by name, as typed.
      await open(page, `${base}/people`);
      await nothingRan('the caseload holding every payload');
      const listed = (await page.getByRole('table').getByRole('link').allTextContents()).map(shown);
      for (const person of PEOPLE) assert.ok(listed.includes(shown(person.name)), `The caseload lists ${person.name}`);
      // The demo's own people are listed too: each payload's name links to its own person, and every link to a person.
      const links = await page
        .getByRole('table')
        .getByRole('link')
        .evaluateAll((anchors) => anchors.map((a) => ({ text: a.textContent, href: a.getAttribute('href') ?? '' })));
      for (const [i, person] of PEOPLE.entries()) {
        const link = links.filter((l) => shown(l.text) === shown(person.name));
        assert.deepEqual(link.map((l) => l.href), [`/people/${ids[i] ?? ''}`], `${person.name} links to their own record and nowhere else`);
      }
      for (const { href } of links) assert.match(href, /^\/people\/[0-9a-f-]{36}$/, 'Every name links to a person');

      // The rest of what a coordinator can reach, including refusals and pages that are not there.
      const others: [string, number][] = [
        ['/overview', 200],
        [`/people/${ids[0] ?? ''}/audit`, 403],
        ['/people/%3Cscript%3Ealert(1)%3C%2Fscript%3E', 404],
        ['/%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E', 404],
        ['/people?name=%3Cscript%3Ealert(1)%3C%2Fscript%3E&q=%7B%7B7*7%7D%7D', 200],
      ];
      for (const [path, status] of others) {
        const response = await open(page, `${base}${path}`);
        assert.equal(response.status(), status, `${path} answers ${status}`);
        await nothingRan(path);
      }

      checks.assertNone();
    } finally {
      await context.close();
    }
  });
});
