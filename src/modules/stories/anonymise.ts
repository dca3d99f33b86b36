/**
 * Keeping a story anonymous. A story is written from the person's own words and their coordinator's, which name
 * people (their sister Carol, a neighbour, the other mum they met) and places (their street). Before any of it is
 * offered to the manager, each such word is replaced by who the person is to them ("their sister"); and a story
 * that still names one is refused when saved, so nothing identifying reaches the Leadership Group's report.
 */

/** A word or phrase from the person's record that must not appear in a story, and what to write instead. */
export interface Identifying {
  text: string;
  instead: string;
  /**
   * Names are matched as written ("Will", "Hope", "Rose"), so that the same words in ordinary writing ("she will
   * hope") are neither replaced nor refused; addresses, postcodes, contact details and dates in any case.
   */
  anyCase: boolean;
}

/** What the record says that could identify the person: their own details, and the people in their life. */
export interface RecordFacts {
  name: string;
  preferredName: string | null;
  dateOfBirth: string | null;
  addressLine1: string | null;
  addressLine2: string | null;
  postcode: string | null;
  phone: string | null;
  email: string | null;
  /** Household members and everyone ever in their circle of support. */
  namedPeople: { name: string; relationship: string; kind?: string }[];
  /** Other people walked alongside they were connected with. */
  connectedPeople: { name: string; preferredName: string | null }[];
}

/** Titles that go with a surname: "Mrs Ahmed" becomes "their neighbour", not "Mrs their neighbour". */
const TITLES = ['mr', 'mrs', 'ms', 'miss', 'mx', 'dr'];

/** The parts of a name worth matching on their own: every word but titles and single letters. */
function nameParts(name: string): string[] {
  return name
    .split(/[\s,]+/)
    .map((w) => w.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, ''))
    .filter((w) => w.length > 1 && !TITLES.includes(w.toLowerCase().replace(/\.$/, '')));
}

/** "sister" as "their sister"; a relationship already written as a phrase ("the cat") stays as it is. */
function asRelationship(relationship: string): string {
  const words = relationship.trim();
  if (words === '') return 'someone close to them';
  return /^(their|the|a|an|my|his|her)\s/i.test(words) ? words : `their ${words}`;
}

/** A street without its house number: "12 Tannery Row" is also "Tannery Row". */
function streetOf(line: string): string | undefined {
  const street = line.replace(/^\s*(flat\s+\w+,?\s*)?\d+[a-z]?\s*,?\s*/i, '').trim();
  return street !== line.trim() && street.length > 3 ? street : undefined;
}

const LONG_DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/** Everything in the record that a story must not say, longest first so a full name goes before its parts. */
export function identifyingWords(facts: RecordFacts, initial: string): Identifying[] {
  const found: Identifying[] = [];
  const add = (text: string | null | undefined, instead: string, anyCase = false) => {
    const trimmed = text?.trim() ?? '';
    if (trimmed.length > 1) found.push({ text: trimmed, instead, anyCase });
  };
  const self = `${initial}.`;
  for (const name of [facts.name, facts.preferredName]) {
    add(name, self);
    for (const part of nameParts(name ?? '')) add(part, self);
  }
  for (const person of facts.namedPeople) {
    const instead = asRelationship(person.relationship);
    add(person.name, instead);
    // A group or a service is named as a whole: "Brookfield Homes" must go, "Brookfield" alone may stay.
    if (person.kind !== 'community' && person.kind !== 'paid') for (const part of nameParts(person.name)) add(part, instead);
  }
  for (const person of facts.connectedPeople) {
    for (const name of [person.name, person.preferredName]) {
      add(name, 'someone else we walk alongside');
      for (const part of nameParts(name ?? '')) add(part, 'someone else we walk alongside');
    }
  }
  for (const line of [facts.addressLine1, facts.addressLine2]) {
    add(line, 'their street', true);
    add(streetOf(line ?? ''), 'their street', true);
  }
  if (facts.postcode !== null) {
    add(facts.postcode, 'their neighbourhood', true);
    add(facts.postcode.replace(/\s+/g, ''), 'their neighbourhood', true);
  }
  add(facts.phone, '[phone number]', true);
  add(facts.email, '[email address]', true);
  if (facts.dateOfBirth !== null) {
    add(facts.dateOfBirth, '[date of birth]', true);
    add(LONG_DATE.format(new Date(`${facts.dateOfBirth}T12:00:00Z`)), '[date of birth]', true);
  }
  const unique = new Map<string, Identifying>();
  for (const f of found) if (!unique.has(f.text.toLowerCase())) unique.set(f.text.toLowerCase(), f);
  return [...unique.values()].sort((a, b) => b.text.length - a.text.length);
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const capitalised = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
const TITLE = `(?:(?:${TITLES.flatMap((t) => [t, capitalised(t), t.toUpperCase()]).join('|')})\\.?\\s+)?`;

/** The word or phrase as a whole word, with a title before a name taken with it. */
function pattern(w: Identifying): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}])${TITLE}${escape(w.text).replace(/\s+/g, '\\s+')}(?![\\p{L}\\p{N}])`, w.anyCase ? 'giu' : 'gu');
}

/**
 * The text with every identifying word replaced by what to write instead. A replacement is never itself
 * identifying: anything still found after the first pass (a relationship that names someone) is removed.
 */
export function anonymise(text: string, words: readonly Identifying[]): string {
  let result = text;
  for (const w of words) result = result.replace(pattern(w), w.instead);
  for (const w of words) result = result.replace(pattern(w), '[removed]');
  return result;
}

/** The identifying words a text still contains, as written in the record. */
export function identifyingIn(text: string, words: readonly Identifying[]): Identifying[] {
  return words.filter((w) => pattern(w).test(text));
}

/** An age as a band ("in their 40s"), which says less than years. */
export function ageBand(age: number): string {
  if (age < 18) return 'under 18';
  if (age < 20) return 'in their late teens';
  return `in their ${Math.floor(age / 10) * 10}s`;
}

/** The first letter of the first name, as a capital; "A" if the name has no letter to take. */
export function initialOf(name: string): string {
  const letter = /\p{L}/u.exec(name.normalize('NFD'))?.[0] ?? 'A';
  const upper = letter.toUpperCase();
  return /^[A-Z]$/.test(upper) ? upper : 'A';
}
