import { SCHEDULE_DAYS, type AssetCategory, type ScheduleDay } from './tables.ts';

/**
 * How the community side of Alongside talks about assets: the categories of asset-based community development in
 * coordinators' words, and schedules as people say them ("First Monday of the month, 7pm to 9pm").
 */

export const CATEGORY_OPTIONS: readonly { value: AssetCategory; text: string; hint: string }[] = [
  {
    value: 'gifts',
    text: 'A person with gifts to share',
    hint: 'A neighbour who shares a skill, their time or what they know, like fixing bikes or a van for moving things. Only with their agreement.',
  },
  { value: 'association', text: 'An association or group', hint: 'Clubs, faith groups, mutual aid and WhatsApp groups: run by the people in them' },
  { value: 'organisation', text: 'An organisation', hint: 'Charities, housing associations and public services' },
  { value: 'place', text: 'A place', hint: 'Venues, parks, community hubs, libraries, allotments' },
  { value: 'business', text: 'A local business', hint: 'Shops, cafés and firms that help out, give or lend things, or offer space' },
  { value: 'culture', text: 'Culture and stories', hint: 'Local history, murals, festivals and the stories people tell about the place' },
];

/** The category as a heading or a column says it. */
export const CATEGORY_TEXT: Record<AssetCategory, string> = {
  gifts: 'People with gifts to share',
  association: 'Associations and groups',
  organisation: 'Organisations',
  place: 'Places',
  business: 'Local businesses',
  culture: 'Culture and stories',
};

export const DAY_TEXT: Record<ScheduleDay, string> = {
  MO: 'Monday',
  TU: 'Tuesday',
  WE: 'Wednesday',
  TH: 'Thursday',
  FR: 'Friday',
  SA: 'Saturday',
  SU: 'Sunday',
};

export const DAY_OPTIONS = SCHEDULE_DAYS.map((value) => ({ value, text: DAY_TEXT[value] }));

/**
 * How often, as one choice: every week, or one week of each month. Stored as Open Referral UK keeps it (a weekly
 * or monthly rule, and for a monthly one the week: 1 to 4, or -1 for the last).
 */
export const REPEAT_OPTIONS = [
  { value: 'weekly', text: 'Every week' },
  { value: '1', text: 'The first of the month' },
  { value: '2', text: 'The second of the month' },
  { value: '3', text: 'The third of the month' },
  { value: '4', text: 'The fourth of the month' },
  { value: 'last', text: 'The last of the month' },
] as const;

export type Repeat = (typeof REPEAT_OPTIONS)[number]['value'];
export const REPEATS = REPEAT_OPTIONS.map((o) => o.value) as [Repeat, ...Repeat[]];

export function repeatOf(freq: 'weekly' | 'monthly', weekOfMonth: number | null): Repeat {
  if (freq === 'weekly' || weekOfMonth === null) return 'weekly';
  return weekOfMonth === -1 ? 'last' : (String(weekOfMonth) as Repeat);
}

export function ruleOf(repeat: Repeat): { freq: 'weekly' | 'monthly'; weekOfMonth: number | null } {
  if (repeat === 'weekly') return { freq: 'weekly', weekOfMonth: null };
  return { freq: 'monthly', weekOfMonth: repeat === 'last' ? -1 : Number(repeat) };
}

const ORDINAL: Record<string, string> = { '1': 'First', '2': 'Second', '3': 'Third', '4': 'Fourth', '-1': 'Last' };

/**
 * A time as people read it: '10:00' is 10am, '19:30' is 7:30pm, '12:00' is midday. Accepts 'HH:MM' or 'HH:MM:SS'.
 */
export function timeText(time: string): string {
  const [h = 0, m = 0] = time.split(':').map(Number);
  if (h === 12 && m === 0) return 'midday';
  const hour = h % 12 === 0 ? 12 : h % 12;
  return `${hour}${m === 0 ? '' : `:${String(m).padStart(2, '0')}`}${h < 12 ? 'am' : 'pm'}`;
}

/**
 * A time typed into a form: 10, 10:30, 10.30, 10am, 2:30pm, 14:00. 'HH:MM' (24-hour), or undefined if it is not
 * a time of day.
 */
export function parseTime(text: string): string | undefined {
  const match = /^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$/i.exec(text.trim());
  if (match === null) return undefined;
  let hours = Number(match[1]);
  const minutes = Number(match[2] ?? '0');
  const half = match[3]?.toLowerCase().replace(/\./g, '');
  if (minutes > 59) return undefined;
  if (half !== undefined) {
    if (hours < 1 || hours > 12) return undefined;
    hours = (hours % 12) + (half === 'pm' ? 12 : 0);
  } else if (hours > 23) {
    return undefined;
  }
  return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
}

export interface ScheduleRule {
  freq: 'weekly' | 'monthly';
  byday: ScheduleDay;
  weekOfMonth: number | null;
  /** 'HH:MM' or 'HH:MM:SS', or null when not known. */
  opensAt: string | null;
  closesAt: string | null;
  description: string | null;
}

/** "Every Tuesday, 10am to midday", "Last Friday of the month, from 7pm". The description follows on its own. */
export function scheduleText(rule: ScheduleRule): string {
  const day = DAY_TEXT[rule.byday];
  const when = rule.freq === 'weekly' || rule.weekOfMonth === null ? `Every ${day}` : `${ORDINAL[String(rule.weekOfMonth)] ?? ''} ${day} of the month`;
  const opens = rule.opensAt === null ? null : timeText(rule.opensAt);
  const closes = rule.closesAt === null ? null : timeText(rule.closesAt);
  if (opens !== null && closes !== null) return `${when}, ${opens} to ${closes}`;
  if (opens !== null) return `${when}, from ${opens}`;
  if (closes !== null) return `${when}, until ${closes}`;
  return when;
}

/** Tags as typed, "Walking,  outdoors , Older people": lower case, single spaces, each once, in the order given. */
export function cleanTags(text: string): string[] {
  const tags = text
    .split(',')
    .map((t) => t.trim().replace(/\s+/g, ' ').toLowerCase())
    .filter((t) => t !== '');
  return [...new Set(tags)];
}
