import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { seeOther, signedInUser } from '../../core/http/context.ts';
import { dateParts, formValues, parseForm, ukToday, type FormErrors, type FormValues } from '../../core/http/forms.ts';
import { render } from '../../core/http/render.ts';
import { ABOUT_FIELDS, noteField, themesSchema, visionSchema, whatMattersSchema } from './schemas.ts';
import {
  getAboutPage,
  getThemesForm,
  getVisionForm,
  getWhatMattersForm,
  recordVision,
  saveThemes,
  saveWhatMatters,
  type ThemeChoices,
  type ThemesForm,
  type VisionForm,
  type WhatMatters,
  type WhatMattersForm,
} from './service.ts';
import { THEME_LABELS, THEMES } from './themes.ts';
import { personFound, personIdOf } from '../people/paths.ts';

const VIEWS = 'modules/vision/views';

/** What to show for a heading with nothing in it, in a comparison of two versions. */
const NOTHING = 'Nothing written down';

export async function showAbout(request: FastifyRequest, reply: FastifyReply) {
  const page = personFound(await getAboutPage(request.server.deps, signedInUser(request), personIdOf(request), request.id));
  const [current, ...earlier] = page.visions;
  return render(request, reply, `${VIEWS}/about.njk`, {
    person: page.person,
    currentVision: current,
    earlierVisions: earlier,
    whatMatters: page.whatMatters,
    aboutFields: ABOUT_FIELDS,
    themes: page.themes.themes.map((t) => ({ label: THEME_LABELS[t.code], note: t.note })),
    themesChanged: { by: page.themes.updatedByName, at: page.themes.updatedAt },
  });
}

// Their vision ----------------------------------------------------------------------------------------------------

function showVisionForm(request: FastifyRequest, reply: FastifyReply, form: VisionForm, values: FormValues, errors: FormErrors | undefined, status: number) {
  return render(request, reply, `${VIEWS}/vision.njk`, { person: form.person, current: form.current, values, errors }, status);
}

export async function newVision(request: FastifyRequest, reply: FastifyReply) {
  const form = personFound(await getVisionForm(request.server.deps, signedInUser(request), personIdOf(request), request.id));
  const today = dateParts(ukToday(request.server.deps.clock.now()));
  const values: FormValues = { formToken: randomUUID(), 'saidOn-day': today.day, 'saidOn-month': today.month, 'saidOn-year': today.year };
  return showVisionForm(request, reply, form, values, undefined, 200);
}

export async function createVision(request: FastifyRequest, reply: FastifyReply) {
  const { deps } = request.server;
  const id = personIdOf(request);
  const parsed = parseForm(visionSchema(ukToday(deps.clock.now())), request.body);
  const result = personFound(await recordVision(deps, signedInUser(request), id, parsed.ok ? parsed.data : undefined, request.id));
  if (result.kind === 'saved') return seeOther(reply, `/people/${id}/about`);
  return showVisionForm(request, reply, result.form, formValues(request.body), parsed.ok ? undefined : parsed.errors, 400);
}

// What matters and their gifts --------------------------------------------------------------------------------------

function whatMattersValues(record: WhatMatters): FormValues {
  const values: FormValues = { version: String(record.version) };
  for (const { field } of ABOUT_FIELDS) values[field] = record[field] ?? '';
  return values;
}

function showWhatMattersForm(
  request: FastifyRequest,
  reply: FastifyReply,
  form: WhatMattersForm,
  extra: { values: FormValues; errors?: FormErrors; conflict?: unknown },
  status: number,
) {
  return render(request, reply, `${VIEWS}/what-matters.njk`, { person: form.person, aboutFields: ABOUT_FIELDS, ...extra }, status);
}

export async function editWhatMatters(request: FastifyRequest, reply: FastifyReply) {
  const form = personFound(await getWhatMattersForm(request.server.deps, signedInUser(request), personIdOf(request), request.id));
  return showWhatMattersForm(request, reply, form, { values: whatMattersValues(form.current) }, 200);
}

export async function updateWhatMatters(request: FastifyRequest, reply: FastifyReply) {
  const id = personIdOf(request);
  const parsed = parseForm(whatMattersSchema, request.body);
  const result = personFound(await saveWhatMatters(request.server.deps, signedInUser(request), id, parsed.ok ? parsed.data : undefined, request.id));
  if (result.kind === 'saved') return seeOther(reply, `/people/${id}/about`);
  if (!parsed.ok) return showWhatMattersForm(request, reply, result.form, { values: parsed.values, errors: parsed.errors }, 400);
  // Someone else saved first. The form keeps what this person typed, now on the version that was saved first.
  const yours = parsed.data;
  const theirs = result.form.current;
  const conflict = {
    changedBy: theirs.updatedByName,
    changedAt: theirs.updatedAt,
    rows: ABOUT_FIELDS.map(({ field, label }) => ({ label, theirs: theirs[field] ?? NOTHING, yours: yours[field] ?? NOTHING })),
  };
  const values = { ...formValues(request.body), version: String(theirs.version) };
  return showWhatMattersForm(request, reply, result.form, { values, conflict }, 409);
}

// The themes they want to change ----------------------------------------------------------------------------------

function themesValues(record: ThemeChoices): FormValues {
  const values: FormValues = { version: String(record.version), themes: record.themes.map((t) => t.code) };
  for (const t of record.themes) values[noteField(t.code)] = t.note ?? '';
  return values;
}

function showThemesForm(
  request: FastifyRequest,
  reply: FastifyReply,
  form: ThemesForm,
  extra: { values: FormValues; errors?: FormErrors; conflict?: unknown },
  status: number,
) {
  const chosen = new Set([extra.values.themes ?? []].flat());
  const themes = THEMES.map((t) => ({ ...t, noteField: noteField(t.code), checked: chosen.has(t.code) }));
  return render(request, reply, `${VIEWS}/themes.njk`, { person: form.person, themes, ...extra }, status);
}

export async function editThemes(request: FastifyRequest, reply: FastifyReply) {
  const form = personFound(await getThemesForm(request.server.deps, signedInUser(request), personIdOf(request), request.id));
  return showThemesForm(request, reply, form, { values: themesValues(form.current) }, 200);
}

/** One theme, as a cell of the comparison: chosen or not, and its note. */
function themeCell(chosen: boolean, note: string | null): string {
  if (!chosen) return 'Not chosen';
  return note === null || note === '' ? 'Chosen' : `Chosen: ${note}`;
}

export async function updateThemes(request: FastifyRequest, reply: FastifyReply) {
  const id = personIdOf(request);
  const parsed = parseForm(themesSchema, request.body);
  const result = personFound(await saveThemes(request.server.deps, signedInUser(request), id, parsed.ok ? parsed.data : undefined, request.id));
  if (result.kind === 'saved') return seeOther(reply, `/people/${id}/about`);
  if (!parsed.ok) return showThemesForm(request, reply, result.form, { values: parsed.values, errors: parsed.errors }, 400);
  // Someone else saved first: every theme either version chose, side by side.
  const theirs = new Map(result.form.current.themes.map((t) => [t.code, t.note]));
  const yours = new Map(parsed.data.themes.map((t) => [t.code, t.note]));
  const conflict = {
    changedBy: result.form.current.updatedByName,
    changedAt: result.form.current.updatedAt,
    rows: THEMES.filter((t) => theirs.has(t.code) || yours.has(t.code)).map((t) => ({
      label: t.label,
      theirs: themeCell(theirs.has(t.code), theirs.get(t.code) ?? null),
      yours: themeCell(yours.has(t.code), yours.get(t.code) ?? null),
    })),
  };
  const values = { ...formValues(request.body), version: String(result.form.current.version) };
  return showThemesForm(request, reply, result.form, { values, conflict }, 409);
}
