import { formatDate } from '../../core/http/views.ts';
import { ageNow, type AgeFacts } from './dates.ts';
import type { HouseholdMemberRow, PersonDetailsRow } from './queries.ts';
import { LANGUAGES } from './schemas.ts';

/**
 * A person's record in words, for the overview's summary and for the two versions an edit conflict shows. One
 * function for both, so what a coordinator compares is what the record shows.
 */
export interface DescribedRow {
  label: string;
  text: string;
  /** The form field a "Change" link goes to. */
  field: string;
}

const NOT_RECORDED = 'Not recorded';

export function describeAge(facts: AgeFacts, today: string): string {
  const now = ageNow(facts, today);
  if (now === null) return 'Not known';
  if (facts.dateOfBirth !== null) return `${now}, born ${formatDate(facts.dateOfBirth)}`;
  const recorded = `recorded as ${facts.ageWhenRecorded ?? now} on ${formatDate(facts.ageRecordedOn)}`;
  return now === facts.ageWhenRecorded ? `${now} (${recorded})` : `About ${now} (${recorded})`;
}

const languageText = new Map<string, string>(LANGUAGES.map((l) => [l.value, l.text]));

function describeLanguage(d: PersonDetailsRow): string {
  if (d.preferredLanguage === null) return NOT_RECORDED;
  return d.preferredLanguage === 'other' ? (d.preferredLanguageOther ?? NOT_RECORDED) : (languageText.get(d.preferredLanguage) ?? NOT_RECORDED);
}

function describeInterpreter(needed: boolean | null): string {
  if (needed === null) return NOT_RECORDED;
  return needed ? 'Needed' : 'Not needed';
}

function describeAddress(d: Pick<PersonDetailsRow, 'addressLine1' | 'addressLine2' | 'town' | 'postcode'>): string {
  const lines = [d.addressLine1, d.addressLine2, d.town, d.postcode].filter((l): l is string => l !== null);
  return lines.length === 0 ? NOT_RECORDED : lines.join('\n');
}

export function describeDetails(d: PersonDetailsRow, today: string): DescribedRow[] {
  return [
    { label: 'Name', text: d.name, field: 'name' },
    { label: 'Preferred name', text: d.preferredName ?? NOT_RECORDED, field: 'preferredName' },
    { label: 'Pronouns', text: d.pronouns ?? NOT_RECORDED, field: 'pronouns' },
    { label: 'Age', text: describeAge(d, today), field: 'dateOfBirth-day' },
    { label: 'Phone', text: d.phone ?? NOT_RECORDED, field: 'phone' },
    { label: 'Email', text: d.email ?? NOT_RECORDED, field: 'email' },
    { label: 'Address', text: describeAddress(d), field: 'addressLine1' },
    { label: 'Preferred language', text: describeLanguage(d), field: 'preferredLanguage' },
    { label: 'Interpreter', text: describeInterpreter(d.interpreterNeeded), field: 'interpreterNeeded' },
  ];
}

export function describeHouseholdMember(m: HouseholdMemberRow, today: string): DescribedRow[] {
  return [
    { label: 'Name', text: m.name, field: 'name' },
    { label: 'Who they are', text: m.relationship, field: 'relationship' },
    { label: 'Age', text: describeAge(m, today), field: 'dateOfBirth-day' },
    { label: 'Notes', text: m.notes ?? NOT_RECORDED, field: 'notes' },
  ];
}

/**
 * The rows of an edit conflict: where the saved version and this person's differ (or every row, if they made the
 * same change), each with both versions.
 */
export function conflictRows(theirs: DescribedRow[], yours: DescribedRow[]): { label: string; theirs: string; yours: string }[] {
  const rows = theirs.map((t, i) => ({ label: t.label, theirs: t.text, yours: yours[i]?.text ?? '' }));
  const differing = rows.filter((r) => r.theirs !== r.yours);
  return differing.length > 0 ? differing : rows;
}
