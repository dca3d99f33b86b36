import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError, seeOther, signedInUser } from '../../core/http/context.ts';
import { dateValues } from '../../core/http/date-fields.ts';
import { type FormErrors, formValues, type FormValues, parseForm, ukToday, UNREADABLE_FORM } from '../../core/http/forms.ts';
import { render } from '../../core/http/render.ts';
import { formatDate } from '../../core/http/views.ts';
import type { PersonInContext } from '../people/access.ts';
import { DIRECTION_TEXT, type PersonMeasureChange } from './change.ts';
import {
  LONELY_ANSWERS,
  MEASURE_GROUPS,
  OCCASION_TEXT,
  OCCASIONS,
  SCALE_QUESTIONS,
  SERVICE_KINDS,
  SIDE_TEXT,
  SIDES,
  SOURCE_TEXT,
  SOURCES,
  UCLA_ANSWERS,
  UCLA_ITEMS,
  type CheckInAnswers,
  type QuestionKey,
  type ServiceCount,
} from './measures.ts';
import {
  DECLINED,
  checkInChangeSchema,
  checkInRefSchema,
  newCheckInSchema,
  newPeriodSchema,
  periodChangeSchema,
  periodRefSchema,
} from './schemas.ts';
import {
  changeCheckIn,
  changePeriod,
  getCheckInChangePage,
  getNewPartPage,
  getOutcomesPage,
  getPeriodChangePage,
  recordCheckIn,
  recordPeriod,
  type ChangeResult,
  type CheckInDetails,
  type Part,
  type PartPage,
  type PeriodDetails,
} from './service.ts';
import { personFound, personIdOf } from '../people/paths.ts';

const VIEWS = 'modules/outcomes/views';
const NO_SUCH_PART = 'There is no such check-in or period in this person’s record.';
const outcomesPath = (personId: string) => `/people/${personId}/outcomes`;
const today = (request: FastifyRequest) => ukToday(request.server.deps.clock.now());

const checkInIdIn = (source: unknown) => {
  const parsed = checkInRefSchema.safeParse(source);
  return parsed.success ? parsed.data.checkIn : undefined;
};
const periodIdIn = (source: unknown) => {
  const parsed = periodRefSchema.safeParse(source);
  return parsed.success ? parsed.data.period : undefined;
};

// Words for what was recorded ------------------------------------------------------------------------------------

type Row = { label: string; text: string };

function answerText(answers: CheckInAnswers, key: QuestionKey, text: (value: never) => string): string {
  if ((answers.declined as string[]).includes(key)) return 'Preferred not to say';
  const value = answers[key];
  return value === null ? 'Not answered' : text(value as never);
}

const lonelyText = (value: string) => LONELY_ANSWERS.find((a) => a.value === value)?.text ?? value;
const uclaText = (value: number) => `${UCLA_ANSWERS.find((a) => a.value === value)?.text ?? ''} (${value})`;

/** Every question of a check-in, in words: for the page, its history and a conflict. */
function describeCheckIn(d: CheckInDetails): Row[] {
  return [
    { label: 'When', text: `${OCCASION_TEXT[d.occasion]}, ${formatDate(d.checkedOn)}` },
    { label: 'Recorded by', text: d.recordedByName },
    ...SCALE_QUESTIONS.filter((q) => q.group === 'ons4').map((q) => ({ label: q.label, text: answerText(d.answers, q.key, String) })),
    { label: 'How often they feel lonely', text: answerText(d.answers, 'lonely', lonelyText) },
    ...UCLA_ITEMS.map((i) => ({ label: i.question, text: answerText(d.answers, i.key, uclaText) })),
    ...SCALE_QUESTIONS.filter((q) => q.group === 'lac').map((q) => ({ label: q.label, text: answerText(d.answers, q.key, String) })),
  ];
}

const countText = (c: ServiceCount) => (c.count === null ? 'Not known' : `${c.count} (${c.source === null ? '' : SOURCE_TEXT[c.source]})`);

function describePeriod(d: PeriodDetails): Row[] {
  return [
    { label: 'When', text: `${SIDE_TEXT[d.side]}: ${formatDate(d.fromOn)} to ${formatDate(d.toOn)}` },
    { label: 'What the period is', text: d.description ?? 'Not said' },
    ...SERVICE_KINDS.map((k) => ({ label: k.label, text: countText(d.counts[k.key]) })),
  ];
}

/** One row per question of both versions side by side, for the edit-conflict banner. */
function conflictRows<D>(describe: (d: D) => Row[], theirs: D, yours: D) {
  const mine = describe(yours);
  return describe(theirs).map((row, i) => ({ label: row.label, theirs: row.text, yours: mine[i]?.text ?? '' }));
}

const signed = (n: number) => (n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '0');

/** The change in words, honest about which way is better: fewer anxious days and less loneliness are better. */
function changeText(c: PersonMeasureChange): string {
  if (c.change === null || c.direction === null) return 'Not answered at both';
  if (c.measure.key === 'lonely') {
    if (c.change === 0) return 'The same';
    const steps = Math.abs(c.change);
    return `${steps} step${steps === 1 ? '' : 's'} ${c.change < 0 ? 'less' : 'more'} often: ${DIRECTION_TEXT[c.direction]}`;
  }
  return c.change === 0 ? '0: the same' : `${signed(c.change)}: ${DIRECTION_TEXT[c.direction]}`;
}

function serviceChangeText(before: ServiceCount, after: ServiceCount): string {
  if (before.count === null || after.count === null) return 'Not known for both';
  const difference = after.count - before.count;
  return difference === 0 ? 'The same' : `${Math.abs(difference)} ${difference < 0 ? 'fewer' : 'more'}`;
}

const described = <D>(describe: (d: D) => Row[]) => (part: Part<D>) => ({ ...part, rows: describe(part.details) });

// The person's outcomes page -------------------------------------------------------------------------------------

const NOTICES: Record<string, string> = {
  recorded: 'Check-in recorded',
  saved: 'Check-in corrected',
  periodRecorded: 'Service use recorded',
  periodSaved: 'Service use corrected',
};

function noticeOf(request: FastifyRequest): string | undefined {
  const query = request.query as Record<string, unknown>;
  const key = Object.keys(NOTICES).find((k) => query[k] === '1');
  return key === undefined ? undefined : NOTICES[key];
}

export async function showOutcomes(request: FastifyRequest, reply: FastifyReply) {
  const page = personFound(await getOutcomesPage(request.server.deps, signedInUser(request), personIdOf(request), request.id));
  const { start, latest, changes } = page.distance;
  const groups = MEASURE_GROUPS.map((g) => ({
    ...g,
    rows: changes
      .filter((c) => c.measure.group === g.key)
      .map((c) => ({
        label: c.measure.label,
        start: c.start === null ? 'Not answered' : c.measure.text(c.start),
        latest: c.latest === null ? (latest === undefined ? 'No later check-in yet' : 'Not answered') : c.measure.text(c.latest),
        change: changeText(c),
        direction: c.direction,
      })),
  }));
  const { before, after } = page.serviceUse;
  const serviceRows =
    before !== undefined && after !== undefined
      ? SERVICE_KINDS.map((k) => ({
          label: k.label,
          before: countText(before.details.counts[k.key]),
          after: countText(after.details.counts[k.key]),
          change: serviceChangeText(before.details.counts[k.key], after.details.counts[k.key]),
        }))
      : null;
  return render(request, reply, `${VIEWS}/outcomes.njk`, {
    person: page.person,
    notice: noticeOf(request),
    start: start === undefined ? null : { ...start.details, occasionText: OCCASION_TEXT[start.details.occasion] },
    latest: latest === undefined ? null : { ...latest.details, occasionText: OCCASION_TEXT[latest.details.occasion] },
    groups,
    checkIns: page.checkIns.map(described(describeCheckIn)).reverse(),
    periods: page.periods.map(described(describePeriod)).reverse(),
    before: before === undefined ? null : before.details,
    after: after === undefined ? null : after.details,
    serviceRows,
  });
}

// Forms, for check-ins and periods alike ---------------------------------------------------------------------------

interface FormKind<D> {
  template: string;
  /** The path the form posts to, and where a change form's ?name= lives. */
  path: string;
  refName: 'checkIn' | 'period';
  notices: { recorded: string; saved: string };
  describe: (d: D) => Row[];
  values: (d: D) => FormValues;
  labels: Record<string, unknown>;
}

function checkInValues(d: CheckInDetails): FormValues {
  const a = d.answers;
  const declined = a.declined as string[];
  return {
    occasion: d.occasion,
    ...dateValues('checkedOn', d.checkedOn),
    recordedByName: d.recordedByName,
    ...Object.fromEntries(SCALE_QUESTIONS.map((q) => [q.key, a[q.key] === null ? '' : String(a[q.key])])),
    declined: SCALE_QUESTIONS.map((q) => q.key).filter((k) => declined.includes(k)),
    lonely: declined.includes('lonely') ? DECLINED : (a.lonely ?? ''),
    ...Object.fromEntries(UCLA_ITEMS.map((i) => [i.key, declined.includes(i.key) ? DECLINED : a[i.key] === null ? '' : String(a[i.key])])),
  };
}

function periodValues(d: PeriodDetails): FormValues {
  return {
    side: d.side,
    ...dateValues('fromOn', d.fromOn),
    ...dateValues('toOn', d.toOn),
    description: d.description ?? '',
    ...Object.fromEntries(
      SERVICE_KINDS.flatMap((k) => [
        [k.key, d.counts[k.key].count === null ? '' : String(d.counts[k.key].count)],
        [`${k.key}Source`, d.counts[k.key].source ?? ''],
      ]),
    ),
  };
}

const CHECK_IN_FORM: FormKind<CheckInDetails> = {
  template: `${VIEWS}/check-in-form.njk`,
  path: 'check-ins',
  refName: 'checkIn',
  notices: { recorded: 'recorded', saved: 'saved' },
  describe: describeCheckIn,
  values: checkInValues,
  labels: {
    occasions: OCCASIONS.map((value) => ({ value, text: OCCASION_TEXT[value] })),
    ons4: SCALE_QUESTIONS.filter((q) => q.group === 'ons4'),
    lac: SCALE_QUESTIONS.filter((q) => q.group === 'lac'),
    lonelyAnswers: LONELY_ANSWERS,
    uclaItems: UCLA_ITEMS,
    uclaAnswers: UCLA_ANSWERS,
    declinedValue: DECLINED,
  },
};

const PERIOD_FORM: FormKind<PeriodDetails> = {
  template: `${VIEWS}/period-form.njk`,
  path: 'service-use',
  refName: 'period',
  notices: { recorded: 'periodRecorded', saved: 'periodSaved' },
  describe: describePeriod,
  values: periodValues,
  labels: {
    sides: SIDES.map((value) => ({ value, text: SIDE_TEXT[value] })),
    kinds: SERVICE_KINDS,
    sources: SOURCES.map((value) => ({ value, text: SOURCE_TEXT[value] })),
  },
};

interface FormView<D> {
  person: PersonInContext;
  part?: Part<D>;
  values: FormValues;
  errors?: FormErrors | undefined;
  conflict?: { changedBy: string; changedAt: Date; rows: { label: string; theirs: string; yours: string }[] };
}

function showForm<D>(request: FastifyRequest, reply: FastifyReply, kind: FormKind<D>, view: FormView<D>, statusCode: number) {
  const declined = view.values.declined;
  return render(
    request,
    reply,
    kind.template,
    {
      ...kind.labels,
      ...view,
      action: `${outcomesPath(view.person.id)}/${kind.path}${view.part === undefined ? '' : '/change'}`,
      refName: kind.refName,
      declinedList: declined === undefined ? [] : [declined].flat(),
    },
    statusCode,
  );
}

async function newForm<D>(request: FastifyRequest, reply: FastifyReply, kind: FormKind<D>, which: 'check-in' | 'service-use', initial: FormValues) {
  const user = signedInUser(request);
  const person = personFound(await getNewPartPage(request.server.deps, user, personIdOf(request), which, request.id));
  return showForm(request, reply, kind, { person, values: { formToken: randomUUID(), ...initial } }, 200);
}

async function changeForm<D>(
  request: FastifyRequest,
  reply: FastifyReply,
  kind: FormKind<D>,
  page: PartPage<D> | { kind: 'no-such-part' } | { kind: 'choose' } | undefined,
) {
  const shown = personFound(page);
  if ('kind' in shown) {
    if (shown.kind === 'choose') return seeOther(reply, outcomesPath(personIdOf(request)));
    throw new HttpError(404, NO_SUCH_PART);
  }
  const values = { [kind.refName]: shown.part.id, version: String(shown.part.version), ...kind.values(shown.part.details) };
  return showForm(request, reply, kind, { person: shown.person, part: shown.part, values }, 200);
}

async function saveChange<D>(
  request: FastifyRequest,
  reply: FastifyReply,
  kind: FormKind<D>,
  result: ChangeResult<D> | undefined,
  partId: string | undefined,
  errors: FormErrors,
) {
  const personId = personIdOf(request);
  const values = formValues(request.body);
  const outcome = personFound(result);
  switch (outcome.kind) {
    case 'saved':
      return seeOther(reply, `${outcomesPath(personId)}?${kind.notices.saved}=1#${kind.refName}-${partId ?? ''}`);
    case 'none-given':
      throw new HttpError(400, UNREADABLE_FORM);
    case 'no-such-part':
      throw new HttpError(404, NO_SUCH_PART);
    case 'invalid':
      return showForm(request, reply, kind, { person: outcome.page.person, part: outcome.page.part, values, errors }, 400);
    case 'conflict': {
      const { part, person } = outcome.page;
      const conflict = { changedBy: part.updatedByName, changedAt: part.updatedAt, rows: conflictRows(kind.describe, part.details, outcome.yours) };
      // What this person typed, now against the version they have just been shown.
      return showForm(request, reply, kind, { person, part, values: { ...values, version: String(part.version) }, conflict }, 409);
    }
  }
}

// Check-ins ------------------------------------------------------------------------------------------------------

export async function newCheckIn(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  return newForm(request, reply, CHECK_IN_FORM, 'check-in', { recordedByName: user.name, ...dateValues('checkedOn', today(request)) });
}

export async function createCheckIn(request: FastifyRequest, reply: FastifyReply) {
  const personId = personIdOf(request);
  const form = parseForm(newCheckInSchema(today(request)), request.body);
  const result = personFound(await recordCheckIn(request.server.deps, signedInUser(request), personId, form, request.id));
  if (result.kind === 'invalid') {
    return showForm(request, reply, CHECK_IN_FORM, { person: result.person, values: formValues(request.body), errors: form.ok ? {} : form.errors }, 400);
  }
  return seeOther(reply, `${outcomesPath(personId)}?recorded=1#checkIn-${result.id}`);
}

export async function showCheckInChange(request: FastifyRequest, reply: FastifyReply) {
  const page = await getCheckInChangePage(request.server.deps, signedInUser(request), personIdOf(request), checkInIdIn(request.query), request.id);
  return changeForm(request, reply, CHECK_IN_FORM, page);
}

export async function saveCheckInChange(request: FastifyRequest, reply: FastifyReply) {
  const checkInId = checkInIdIn(formValues(request.body));
  const form = parseForm(checkInChangeSchema(today(request)), request.body);
  const result = await changeCheckIn(request.server.deps, signedInUser(request), personIdOf(request), checkInId, form, request.id);
  return saveChange(request, reply, CHECK_IN_FORM, result, checkInId, form.ok ? {} : form.errors);
}

// Service use ----------------------------------------------------------------------------------------------------

export async function newPeriod(request: FastifyRequest, reply: FastifyReply) {
  return newForm(request, reply, PERIOD_FORM, 'service-use', {});
}

export async function createPeriod(request: FastifyRequest, reply: FastifyReply) {
  const personId = personIdOf(request);
  const form = parseForm(newPeriodSchema(today(request)), request.body);
  const result = personFound(await recordPeriod(request.server.deps, signedInUser(request), personId, form, request.id));
  if (result.kind === 'invalid') {
    return showForm(request, reply, PERIOD_FORM, { person: result.person, values: formValues(request.body), errors: form.ok ? {} : form.errors }, 400);
  }
  return seeOther(reply, `${outcomesPath(personId)}?periodRecorded=1#period-${result.id}`);
}

export async function showPeriodChange(request: FastifyRequest, reply: FastifyReply) {
  const page = await getPeriodChangePage(request.server.deps, signedInUser(request), personIdOf(request), periodIdIn(request.query), request.id);
  return changeForm(request, reply, PERIOD_FORM, page);
}

export async function savePeriodChange(request: FastifyRequest, reply: FastifyReply) {
  const periodId = periodIdIn(formValues(request.body));
  const form = parseForm(periodChangeSchema(today(request)), request.body);
  const result = await changePeriod(request.server.deps, signedInUser(request), personIdOf(request), periodId, form, request.id);
  return saveChange(request, reply, PERIOD_FORM, result, periodId, form.ok ? {} : form.errors);
}
