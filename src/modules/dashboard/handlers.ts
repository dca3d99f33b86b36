import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError, signedInUser } from '../../core/http/context.ts';
import { parseForm, type FormErrors } from '../../core/http/forms.ts';
import { render, renderPage } from '../../core/http/render.ts';
import { areasFor } from '../admin/service.ts';
import { storiesForReport } from '../stories/service.ts';
import { tableCsv } from './csv.ts';
import { monthOf, recentMonths } from './period.ts';
import { printToPdf } from './pdf.ts';
import { monthQuerySchema, tableParamsSchema } from './schemas.ts';
import { getDashboard, getTable } from './service.ts';

/** Two years of months to choose from, the current month first. */
const MONTHS_OFFERED = 24;

/**
 * The month asked for, if it is one of those offered; otherwise the default and a message. The dashboard opens on
 * the month so far; the monthly report, read after the month has ended, on the last whole month.
 */
function chosenMonth(request: FastifyRequest, whole: boolean): { month: string; errors?: FormErrors } {
  const current = monthOf(request.server.deps.clock.now());
  const offered = recentMonths(current, MONTHS_OFFERED).map((m) => m.key);
  const fallback = whole ? (offered[1] as string) : current;
  const form = parseForm(monthQuerySchema, request.query);
  if (!form.ok) return { month: fallback, errors: form.errors };
  if (form.data.month === undefined) return { month: fallback };
  if (!offered.includes(form.data.month)) return { month: fallback, errors: { month: 'Choose a month from the list' } };
  return { month: form.data.month };
}

/** A month in a report or download address must be a real one: these are links, not forms, so a bad one is refused. */
function linkedMonth(request: FastifyRequest): string {
  const { month, errors } = chosenMonth(request, true);
  if (errors !== undefined) throw new HttpError(400, 'There is no report for that month. Choose a month on the programme overview.');
  return month;
}

export async function showDashboard(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const { month, errors } = chosenMonth(request, false);
  const [dashboard, areas] = await Promise.all([getDashboard(request.server.deps, user, month, request.id), areasFor(request.server.deps, user)]);
  const monthItems = recentMonths(monthOf(request.server.deps.clock.now()), MONTHS_OFFERED).map((m) => ({ value: m.key, text: m.label, selected: m.key === month }));
  return render(
    request,
    reply,
    'modules/dashboard/views/dashboard.njk',
    { dashboard, areas, monthItems, errors, pdfAvailable: request.server.deps.config.chromiumPath !== undefined },
    errors === undefined ? 200 : 400,
  );
}

async function reportData(request: FastifyRequest) {
  const user = signedInUser(request);
  const month = linkedMonth(request);
  const dashboard = await getDashboard(request.server.deps, user, month, request.id);
  // Stories are the people's own, shared with their consent and written without anything that identifies them.
  const stories = await storiesForReport(request.server.deps, user.programme.id);
  return { dashboard, stories, preparedOn: request.server.deps.clock.now() };
}

export async function showReport(request: FastifyRequest, reply: FastifyReply) {
  return render(request, reply, 'modules/dashboard/views/report.njk', { ...(await reportData(request)), pdfAvailable: request.server.deps.config.chromiumPath !== undefined });
}

export async function reportPdf(request: FastifyRequest, reply: FastifyReply) {
  const chromiumPath = request.server.deps.config.chromiumPath;
  if (chromiumPath === undefined) throw new HttpError(404, 'PDFs need Chromium, which this server does not have. Open the report and print it from your browser instead.');
  const data = await reportData(request);
  const html = await renderPage(request, reply, 'modules/dashboard/views/report.njk', { ...data, printing: true });
  const app = request.server;
  const pdf = await printToPdf(
    chromiumPath,
    html,
    async (path) => {
      const response = await app.inject({ method: 'GET', url: path });
      return { status: response.statusCode, contentType: String(response.headers['content-type'] ?? 'application/octet-stream'), body: response.rawPayload };
    },
    `${signedInUser(request).programme.name}: ${data.dashboard.period.month.label}`,
  );
  return reply
    .header('Cache-Control', 'no-store')
    .header('Content-Disposition', `attachment; filename="leadership-report-${data.dashboard.period.month.key}.pdf"`)
    .type('application/pdf')
    .send(pdf);
}

export async function downloadTable(request: FastifyRequest, reply: FastifyReply) {
  const params = tableParamsSchema.safeParse(request.params);
  if (!params.success) throw new HttpError(404, 'There is no such table');
  const month = linkedMonth(request);
  const id = params.data.table.replace(/\.csv$/, '');
  const found = await getTable(request.server.deps, signedInUser(request), month, id, request.id);
  if (found === undefined) throw new HttpError(404, 'There is no such table');
  return reply
    .header('Cache-Control', 'no-store')
    .header('Content-Disposition', `attachment; filename="${id}-${month}.csv"`)
    .type('text/csv; charset=utf-8')
    .send(tableCsv(found.table));
}
