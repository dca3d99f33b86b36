import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyView from '@fastify/view';
import type { FastifyInstance } from 'fastify';
import nunjucks from 'nunjucks';
import type { FormErrors } from './forms.ts';
import { poundsText } from '../money.ts';

const require = createRequire(import.meta.url);
export const govukFrontendDist = path.join(path.dirname(require.resolve('govuk-frontend/package.json')), 'dist');
export const srcDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' });
const dateTimeFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/London',
});

/** A Date, or a calendar date 'YYYY-MM-DD', as people in the UK write it: 2 November 2026. */
export function formatDate(value: Date | string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  const date = typeof value === 'string' ? new Date(`${value.slice(0, 10)}T12:00:00Z`) : value;
  return Number.isNaN(date.getTime()) ? '' : dateFormat.format(date);
}

export function formatDateTime(value: Date | null | undefined): string {
  return value ? dateTimeFormat.format(value) : '';
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/**
 * A person's own words, as they wrote them: escaped, blank lines as paragraphs and line breaks kept. Done with
 * markup rather than CSS white-space, which would also show the indentation templates add.
 */
export function ownWords(text: string | null | undefined): nunjucks.runtime.SafeString {
  const escaped = escapeHtml(text ?? '');
  const paragraphs = escaped
    .split(/\r?\n\s*\r?\n/)
    .filter((p) => p.trim() !== '')
    .map((p) => `<p class="govuk-body">${p.trim().split(/\r?\n/).join('<br>')}</p>`);
  return new nunjucks.runtime.SafeString(paragraphs.join(''));
}

/** Filters every template may use. */
function addFilters(env: nunjucks.Environment): void {
  // GOV.UK macros take { text } for an inline error; undefined means "no error".
  env.addFilter('errorFor', (errors: FormErrors | undefined, field: string) =>
    errors?.[field] === undefined ? undefined : { text: errors[field] },
  );
  // Each summary link goes to the field itself; a page names other targets where a field has several inputs (a
  // date's first input is name-day).
  env.addFilter('errorList', (errors: FormErrors | undefined, targets: Record<string, string> | undefined) =>
    Object.entries(errors ?? {}).map(([field, text]) => ({ text, href: `#${targets?.[field] ?? field}` })),
  );
  env.addFilter('date', formatDate);
  env.addFilter('dateTime', formatDateTime);
  env.addFilter('ownWords', ownWords);
  env.addFilter('pounds', poundsText);
}

/** Nunjucks with autoescaping on; the app's views first, then the GOV.UK Frontend macros. */
export async function registerViews(app: FastifyInstance): Promise<void> {
  await app.register(fastifyView, {
    engine: { nunjucks },
    templates: [path.join(srcDir, 'views'), srcDir, govukFrontendDist],
    options: { autoescape: true, throwOnUndefined: false, trimBlocks: true, lstripBlocks: true, onConfigure: addFilters },
  });
}
