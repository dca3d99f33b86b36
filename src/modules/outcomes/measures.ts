/**
 * The outcome questions Alongside asks (IMPACT.md, "Outcome measures"), in one place: the forms, the person's page,
 * the programme's figures and the demo all read them from here. Every measure is reported on its own; nothing is
 * summed across measures (the ONS asks that the four wellbeing questions are never added together).
 */

export const OCCASIONS = ['baseline', 'review', 'moving_on'] as const;
export type Occasion = (typeof OCCASIONS)[number];

export const OCCASION_TEXT: Record<Occasion, string> = {
  baseline: 'Getting to know',
  review: 'A review',
  moving_on: 'Moving on',
};

/** Questions answered on the 0 to 10 scale: the ONS4 and, on the same scale so the page reads one way, the LAC domains. */
export const SCALE_QUESTIONS = [
  { key: 'lifeSatisfaction', group: 'ons4', label: 'Life satisfaction', question: 'Overall, how satisfied are you with your life nowadays?', lowerIsBetter: false },
  { key: 'worthwhile', group: 'ons4', label: 'Things done are worthwhile', question: 'Overall, to what extent do you feel that the things you do in your life are worthwhile?', lowerIsBetter: false },
  { key: 'happiness', group: 'ons4', label: 'Happiness yesterday', question: 'Overall, how happy did you feel yesterday?', lowerIsBetter: false },
  { key: 'anxiety', group: 'ons4', label: 'Anxiety yesterday (lower is better)', question: 'On a scale where 0 is not at all anxious and 10 is completely anxious, overall, how anxious did you feel yesterday?', lowerIsBetter: true },
  { key: 'lacRelationships', group: 'lac', label: 'Relationships and connections', question: 'How good are your relationships and connections with people?', lowerIsBetter: false },
  { key: 'lacConfidence', group: 'lac', label: 'Confidence in the future', question: 'How confident do you feel about the future?', lowerIsBetter: false },
  { key: 'lacHealth', group: 'lac', label: 'Control over own health', question: 'How much control do you feel you have over your own health?', lowerIsBetter: false },
  { key: 'lacCommunity', group: 'lac', label: 'Knowing and being part of the community', question: 'How well do you know your community, and feel part of it?', lowerIsBetter: false },
  { key: 'lacContributing', group: 'lac', label: 'Contributing (volunteering, learning, work)', question: 'How much do you feel you contribute, through volunteering, learning or work?', lowerIsBetter: false },
  { key: 'lacDailyLife', group: 'lac', label: 'Managing daily life', question: 'How well do you feel you are managing daily life?', lowerIsBetter: false },
] as const;
export type ScaleKey = (typeof SCALE_QUESTIONS)[number]['key'];

/** The ONS direct question, its answers from the loneliest; the score (5 = often or always) makes change countable. */
export const LONELY_QUESTION = 'How often do you feel lonely?';
export const LONELY_ANSWERS = [
  { value: 'often_always', text: 'Often or always', score: 5 },
  { value: 'some_of_the_time', text: 'Some of the time', score: 4 },
  { value: 'occasionally', text: 'Occasionally', score: 3 },
  { value: 'hardly_ever', text: 'Hardly ever', score: 2 },
  { value: 'never', text: 'Never', score: 1 },
] as const;
export type LonelyAnswer = (typeof LONELY_ANSWERS)[number]['value'];
export const LONELY_VALUES = LONELY_ANSWERS.map((a) => a.value) as [LonelyAnswer, ...LonelyAnswer[]];

/** The three-item UCLA loneliness scale, as the ONS recommends it: each 1 to 3, a total of 3 to 9, higher is lonelier. */
export const UCLA_ITEMS = [
  { key: 'uclaCompanionship', question: 'How often do you feel that you lack companionship?' },
  { key: 'uclaLeftOut', question: 'How often do you feel left out?' },
  { key: 'uclaIsolated', question: 'How often do you feel isolated from others?' },
] as const;
export type UclaKey = (typeof UCLA_ITEMS)[number]['key'];
export const UCLA_ANSWERS = [
  { value: 1, text: 'Hardly ever' },
  { value: 2, text: 'Some of the time' },
  { value: 3, text: 'Often' },
] as const;

/** Every question a person may answer or decline, by its key in forms and answers. */
export type QuestionKey = ScaleKey | 'lonely' | UclaKey;
export const QUESTION_KEYS: readonly QuestionKey[] = [...SCALE_QUESTIONS.map((q) => q.key), 'lonely', ...UCLA_ITEMS.map((q) => q.key)];

/** What a person said at one check-in. Null is not asked (or left blank); a key in `declined` is "prefer not to say". */
export type CheckInAnswers = Record<ScaleKey | UclaKey, number | null> & { lonely: LonelyAnswer | null; declined: QuestionKey[] };

/** A measure of change: one question's answer, or the UCLA total (only when all three items were answered). */
export interface Measure {
  key: ScaleKey | 'lonely' | 'ucla';
  group: 'ons4' | 'loneliness' | 'lac';
  label: string;
  lowerIsBetter: boolean;
  /** The value to compare over time, or null when there is none at this check-in. */
  value(answers: CheckInAnswers): number | null;
  /** The value as the page shows it. */
  text(value: number): string;
}

const lonelyScore = (answer: LonelyAnswer | null) => LONELY_ANSWERS.find((a) => a.value === answer)?.score ?? null;

export const MEASURES: readonly Measure[] = [
  ...SCALE_QUESTIONS.filter((q) => q.group === 'ons4').map((q) => scaleMeasure(q)),
  {
    key: 'lonely',
    group: 'loneliness',
    label: 'How often they feel lonely (lower is better)',
    lowerIsBetter: true,
    value: (a) => lonelyScore(a.lonely),
    text: (v) => LONELY_ANSWERS.find((a) => a.score === v)?.text ?? String(v),
  },
  {
    key: 'ucla',
    group: 'loneliness',
    label: 'UCLA loneliness score, 3 to 9 (lower is better)',
    lowerIsBetter: true,
    value: (a) => {
      const items = UCLA_ITEMS.map((i) => a[i.key]);
      return items.every((v): v is number => v !== null) ? items.reduce((sum, v) => sum + v, 0) : null;
    },
    text: String,
  },
  ...SCALE_QUESTIONS.filter((q) => q.group === 'lac').map((q) => scaleMeasure(q)),
];

function scaleMeasure(q: (typeof SCALE_QUESTIONS)[number]): Measure {
  return { key: q.key, group: q.group, label: q.label, lowerIsBetter: q.lowerIsBetter, value: (a) => a[q.key], text: String };
}

export const MEASURE_GROUPS = [
  { key: 'ons4', title: 'Personal wellbeing (ONS4), each 0 to 10' },
  { key: 'loneliness', title: 'Loneliness' },
  { key: 'lac', title: 'What matters in Local Area Coordination, each 0 to 10' },
] as const;

// Service use ----------------------------------------------------------------------------------------------------

export const SERVICE_KINDS = [
  { key: 'gp', label: 'GP appointments', noun: 'GP appointments' },
  { key: 'ae', label: 'A&E attendances', noun: 'A&E attendances' },
  { key: 'ambulance', label: 'Ambulance call-outs', noun: 'ambulance call-outs' },
  { key: 'hospitalStays', label: 'Hospital stays', noun: 'hospital stays' },
  { key: 'hospitalNights', label: 'Nights in hospital', noun: 'nights in hospital' },
  { key: 'police', label: 'Police contacts', noun: 'police contacts' },
  { key: 'safeguarding', label: 'Safeguarding concerns', noun: 'safeguarding concerns' },
  { key: 'eviction', label: 'Eviction proceedings', noun: 'eviction proceedings' },
] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number]['key'];

export const SOURCES = ['known', 'self_reported'] as const;
export type Source = (typeof SOURCES)[number];
export const SOURCE_TEXT: Record<Source, string> = { known: 'known, from a record or the agency', self_reported: 'as they told us' };

export const SIDES = ['before', 'after'] as const;
export type Side = (typeof SIDES)[number];
export const SIDE_TEXT: Record<Side, string> = { before: 'Before we met', after: 'Since we met' };

/** One kind of service use in a period: how many times, and how we know. Null count: not known. */
export interface ServiceCount {
  count: number | null;
  source: Source | null;
}
export type ServiceCounts = Record<ServiceKind, ServiceCount>;

/** A camelCase key as its column name: lifeSatisfaction → life_satisfaction. */
export function columnOf(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
