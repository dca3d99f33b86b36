import { z } from 'zod';
import { emailField, optionalWords, phoneField, postcodeField } from '../../core/http/fields.ts';
import { SCHEDULE_DAYS, type AssetCategory, type ScheduleDay } from '../assets/tables.ts';
import { cleanTags } from '../assets/words.ts';
import { CATEGORIES_TAXONOMY, categoryOfTermId } from './taxonomy.ts';

/**
 * Reading an Open Referral UK document into community assets, before anything is written: a single service, a
 * page of a list (its `contents`), a package (an array), an organization with its services, or a service at a
 * location. Each service or organization becomes one asset draft, or is skipped with the reason in words. What
 * an asset cannot keep (a position off the globe, a US zip code, an every-other-week rule) is left out and said.
 */

export interface ScheduleDraft {
  freq: 'weekly' | 'monthly';
  byday: ScheduleDay;
  weekOfMonth: number | null;
  opensAt: string | null;
  closesAt: string | null;
  description: string | null;
}

/** What an asset keeps beyond its name and description, each part only as far as the document gives it. */
export interface AssetDetails {
  addressLine1: string | null;
  addressTown: string | null;
  postcode: string | null;
  latitude: number | null;
  longitude: number | null;
  accessibility: string | null;
  contactName: string | null;
  contactPhone: string | null;
  contactEmail: string | null;
  website: string | null;
  cost: string | null;
  free: boolean;
  tags: string[];
}

export interface AssetDraft {
  sourceId: string;
  name: string;
  description: string;
  /** The category the document gives in our own taxonomy (a document we published); null when it does not say. */
  category: AssetCategory | null;
  /** The service's status, when it is not active. */
  notRunning: string | null;
  /**
   * The parts the document gives. A part it leaves out entirely (a list page's service has no locations, contacts
   * or schedules) is missing here, and an asset imported before keeps what it had; a part given empty is emptied.
   */
  details: Partial<AssetDetails>;
  /** Null when the document has no schedules at all, for the same reason. */
  schedules: ScheduleDraft[] | null;
  /** The source id of the organization that runs it; null when it names none, undefined when it does not say. */
  organisationSourceId: string | null | undefined;
}

export type ImportItem =
  | { kind: 'service' | 'organization'; label: string; draft: AssetDraft; notes: string[] }
  | { kind: 'skipped'; label: string; reason: string };

export type ReadResult = { ok: true; items: ImportItem[] } | { ok: false; message: string };

export const NOT_A_DOCUMENT =
  'This is not an Open Referral UK document. Paste a service, an organization, a service at a location, or a list or package of them';

type Raw = Record<string, unknown>;

function isObject(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function objects(value: unknown): Raw[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

/** A string's words, trimmed; null for anything else or nothing. NUL, which PostgreSQL text cannot hold, goes. */
function text(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.replaceAll('\u0000', '').trim();
  return trimmed === '' ? null : trimmed;
}

/**
 * A field that is kept only if it is right: otherwise null, and a note saying what was left out and why (`why`, or
 * the schema's own message).
 */
function checked<T>(value: unknown, schema: z.ZodType<T | null>, what: string, notes: string[], why?: string): T | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string' && typeof value !== 'number') {
    notes.push(`${what} was left out: it is not text`);
    return null;
  }
  const result = schema.safeParse(typeof value === 'string' ? (text(value) ?? '') : String(value));
  if (result.success) return result.data;
  notes.push(`${what} was left out: ${why ?? result.error.issues[0]?.message ?? 'it could not be read'}`);
  return null;
}

const upTo = (max: number) => optionalWords(max, `it is longer than ${max.toLocaleString('en-GB')} characters`);

const WEBSITE_MESSAGE = 'it is not a web address starting http:// or https://';

/** Web addresses as the asset form keeps them: http or https, a host with a dot, no spaces, 500 characters at most. */
const websiteSchema = z
  .string()
  .trim()
  .max(500, 'it is longer than 500 characters')
  .refine((v) => {
    try {
      const url = new URL(v);
      return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.includes('.') && !/\s/.test(v);
    } catch {
      return false;
    }
  }, WEBSITE_MESSAGE);

// --- What kind of thing an item is --------------------------------------------------------------------------------

const ORGANIZATION_ONLY = ['services', 'organization_identifiers', 'website', 'logo', 'uri', 'parent_organization_id', 'legal_status', 'year_incorporated'];
const TERM_ONLY = ['term', 'term_uri', 'parent_id', 'taxonomy', 'taxonomy_id', 'code'];

type Kind = 'service' | 'organization' | 'service_at_location' | 'taxonomy' | 'taxonomy_term';

function kindOf(item: Raw): Kind {
  // A service at a location has no name of its own: it joins a service to a location.
  if (text(item.name) === null && (isObject(item.service) || isObject(item.location))) return 'service_at_location';
  if (Array.isArray(item.taxonomy_terms) || (typeof item.version === 'string' && !('status' in item))) return 'taxonomy';
  if (TERM_ONLY.some((key) => key in item)) return 'taxonomy_term';
  if (ORGANIZATION_ONLY.some((key) => key in item)) return 'organization';
  return 'service';
}

/** What the summary calls an item: its name or id, cut short if it is very long. */
function labelOf(item: Raw, position: number): string {
  const label = text(item.name) ?? text(item.id) ?? `Item ${position}`;
  return label.length > 120 ? `${label.slice(0, 119)}…` : label;
}

// --- Fields --------------------------------------------------------------------------------------------------------

const ID_MESSAGE = 'it has no id, so a later import could not update it';

function required(item: Raw): { sourceId: string; name: string; description: string } | { reason: string } {
  const sourceId = text(item.id);
  if (sourceId === null) return { reason: ID_MESSAGE };
  if (sourceId.length > 200) return { reason: 'its id is longer than 200 characters' };
  const name = text(item.name);
  if (name === null) return { reason: 'it has no name' };
  if (name.length > 200) return { reason: 'its name is longer than 200 characters' };
  const description = text(item.description);
  if (description === null) return { reason: 'it has no description, and every community asset needs one' };
  if (description.length > 5000) return { reason: 'its description is longer than 5,000 characters' };
  return { sourceId, name, description };
}

const TIME = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?(?:Z|[+-]\d{2}:?\d{2})?$/;

/**
 * A time of day as HSDS writes it ('10:00', '10:00:00', '09:00-05:00'). The clock time is kept and any offset
 * dropped: assets meet at local times, and the offset of a time with no date is not a fact about it.
 */
function timeOf(value: unknown): string | null | undefined {
  const raw = text(value);
  if (raw === null) return null;
  const match = TIME.exec(raw);
  return match === null ? undefined : `${match[1] ?? '00'}:${match[2] ?? '00'}:${match[3] ?? '00'}`;
}

/** One HSDS schedule as rows of ours (one per day), or why it cannot be kept. */
function schedulesOf(raw: Raw): ScheduleDraft[] | string {
  const freq = text(raw.freq)?.toUpperCase();
  if (freq !== 'WEEKLY' && freq !== 'MONTHLY') return 'it does not say whether it is weekly or monthly';
  const interval = raw.interval === undefined || raw.interval === null ? 1 : Number(raw.interval);
  if (interval !== 1) {
    if (!Number.isInteger(interval) || interval < 1) return 'its interval is not a whole number';
    return `it repeats every ${interval} ${freq === 'WEEKLY' ? 'weeks' : 'months'}, which a community asset's schedule cannot say`;
  }
  const days = (text(raw.byday) ?? '').split(',').map((d) => d.trim().toUpperCase()).filter((d) => d !== '');
  if (days.length === 0) return 'it names no day of the week';
  const opensAt = timeOf(raw.opens_at);
  const closesAt = timeOf(raw.closes_at);
  if (opensAt === undefined || closesAt === undefined) return 'its opening or closing time is not a time of day';
  if (opensAt !== null && closesAt !== null && closesAt <= opensAt) return 'it closes before it opens';
  const description = text(raw.description);
  const drafts: ScheduleDraft[] = [];
  for (const day of days) {
    const match = /^(-1|[1-4])?([A-Z]{2})$/.exec(day);
    const byday = SCHEDULE_DAYS.find((d) => d === match?.[2]);
    if (match === null || byday === undefined) return `"${day}" is not a day of the week`;
    const week = match[1] === undefined ? null : Number(match[1]);
    if (freq === 'MONTHLY' && week === null) return `a monthly rule needs the week of the month, like 2${byday}`;
    if (freq === 'WEEKLY' && week !== null) return `a weekly rule cannot name a week of the month (${day})`;
    drafts.push({
      freq: freq === 'WEEKLY' ? 'weekly' : 'monthly',
      byday,
      weekOfMonth: week,
      opensAt,
      closesAt,
      description: description === null ? null : description.slice(0, 500),
    });
  }
  return drafts;
}

function numberOf(value: unknown): number | null {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : null;
}

/** Where it is: the first location, as far as we can keep it. */
function placeOf(locations: Raw[], notes: string[]): Partial<AssetDetails> {
  const place: Partial<AssetDetails> = { addressLine1: null, addressTown: null, postcode: null, latitude: null, longitude: null, accessibility: null };
  const location = locations[0];
  if (location === undefined) return place;
  if (locations.length > 1) notes.push(`Only the first of its ${locations.length} locations was kept`);
  const address = objects(location.addresses)[0];
  if (address !== undefined) {
    place.addressLine1 = checked(address.address_1, upTo(200), 'The first line of the address', notes);
    place.addressTown = checked(address.city, upTo(100), 'The town', notes);
    place.postcode = checked(address.postal_code, postcodeField(), `The postcode ${String(address.postal_code)}`, notes, 'it is not a UK postcode');
  }
  // Numbers, as the schema has them; numbers written as text, as some directories send them, are read too.
  const latitude = numberOf(location.latitude);
  const longitude = numberOf(location.longitude);
  if (latitude !== null && longitude !== null) {
    if (Math.abs(latitude) <= 90 && Math.abs(longitude) <= 180) {
      place.latitude = Math.round(latitude * 1e6) / 1e6;
      place.longitude = Math.round(longitude * 1e6) / 1e6;
    } else {
      notes.push(`The map position was left out: ${latitude}, ${longitude} is not a place on Earth`);
    }
  }
  const access = objects(location.accessibility)
    .map((a) => text(a.description) ?? text(a.accessibility))
    .filter((a): a is string => a !== null);
  if (access.length > 0) place.accessibility = checked(access.join('\n\n'), upTo(2000), 'What it says about accessibility', notes);
  return place;
}

/** HSDS taxonomy terms linked to the item: our own categories come back as the category, any other term as a tag. */
function termsOf(item: Raw, notes: string[]): { category: AssetCategory | null; tags: string[] } {
  let category: AssetCategory | null = null;
  const names: string[] = [];
  for (const attribute of objects(item.attributes)) {
    const term = isObject(attribute.taxonomy_term) ? attribute.taxonomy_term : {};
    const termId = text(attribute.taxonomy_term_id) ?? text(term.id);
    const ours = termId === null ? undefined : categoryOfTermId(termId);
    if (ours !== undefined) {
      category = ours;
      continue;
    }
    if (text(term.taxonomy_id) === CATEGORIES_TAXONOMY.id) continue;
    const name = text(term.name);
    if (name !== null) names.push(name);
  }
  const tags = cleanTags(names.join(',')).filter((t) => t.length <= 40);
  if (tags.length > 20) notes.push(`Only the first 20 of its ${tags.length} tags were kept`);
  return { category, tags: tags.slice(0, 20) };
}

/** HSDS 3.0 phones, on the item or on its contacts: the first number we can keep. */
function phoneOf(item: Raw, contacts: Raw[], notes: string[]): string | null {
  const numbers = [item, ...contacts].flatMap((holder) => objects(holder.phones)).map((p) => p.number);
  const first = numbers.find((n) => typeof n === 'string' && n.trim() !== '');
  return first === undefined ? null : checked(first, phoneField(), 'The phone number', notes, 'it is not a phone number');
}

/**
 * What it costs. Our own fees ("Free", "Free: donations welcome") come back as free with the rest as the cost;
 * without fees, the first cost option is put into words (an amount of 0 is free).
 */
function costOf(item: Raw, notes: string[]): { cost: string | null; free: boolean } {
  let said = text(item.fees);
  let free = false;
  if (said === null) {
    const option = objects(item.cost_options)[0];
    if (option !== undefined && typeof option.amount === 'number') {
      free = option.amount === 0;
      const amount = free ? null : `£${option.amount.toFixed(2).replace(/\.00$/, '')}`;
      const who = text(option.option);
      said = [amount, text(option.amount_description), who === null ? null : `(${who})`].filter((w) => w !== null).join(' ') || null;
    }
  } else {
    const ours = /^free(?::\s*|$)/i.exec(said);
    if (ours !== null) {
      free = true;
      said = text(said.slice(ours[0].length));
    }
  }
  return { cost: checked(said, upTo(500), 'The cost', notes), free };
}

/** Whether the item has any of these fields at all (even empty). */
function gives(item: Raw, ...keys: string[]): boolean {
  return keys.some((key) => key in item);
}

/**
 * One service or organization as an asset draft, or why it is skipped. `locations` are where it is (null when the
 * document does not say); `organisationSourceId` is the organization that runs it (see AssetDraft).
 */
function draftOf(
  item: Raw,
  kind: 'service' | 'organization',
  locations: Raw[] | null,
  organisationSourceId: string | null | undefined,
  position: number,
): ImportItem {
  const label = labelOf(item, position);
  const basics = required(item);
  if ('reason' in basics) return { kind: 'skipped', label, reason: basics.reason };
  const notes: string[] = [];
  const status = text(item.status)?.toLowerCase() ?? 'active';
  const contacts = objects(item.contacts);
  const details: Partial<AssetDetails> = {};
  if (locations !== null) Object.assign(details, placeOf(locations, notes));
  if (gives(item, 'contacts', 'phones')) {
    details.contactName = checked(text(contacts[0]?.name), upTo(200), 'The contact’s name', notes);
    details.contactPhone = phoneOf(item, contacts, notes);
  }
  if (gives(item, 'email')) details.contactEmail = checked(item.email, emailField(), 'The email address', notes, 'it is not an email address');
  const web = kind === 'organization' ? 'website' : 'url';
  if (gives(item, web)) details.website = checked(item[web], websiteSchema.nullable(), 'The web address', notes);
  if (gives(item, 'fees', 'cost_options')) Object.assign(details, costOf(item, notes));
  let category: AssetCategory | null = kind === 'organization' ? 'organisation' : null;
  if (gives(item, 'attributes')) {
    const terms = termsOf(item, notes);
    details.tags = terms.tags;
    category ??= terms.category;
  }
  let schedules: ScheduleDraft[] | null = null;
  if (gives(item, 'schedules')) {
    schedules = [];
    for (const raw of objects(item.schedules)) {
      const rows = schedulesOf(raw);
      if (typeof rows === 'string') notes.push(`A schedule was left out: ${rows}`);
      else schedules.push(...rows);
    }
  }
  const draft: AssetDraft = {
    ...basics,
    category,
    notRunning: kind === 'service' && status !== 'active' ? status : null,
    details,
    schedules,
    organisationSourceId: organisationSourceId === basics.sourceId ? null : organisationSourceId,
  };
  return { kind, label, draft, notes };
}

/** The locations a service names (each service at a location's location), or null when it does not say. */
function locationsOf(service: Raw): Raw[] | null {
  if (!gives(service, 'service_at_locations')) return null;
  return objects(service.service_at_locations)
    .map((sal) => sal.location)
    .filter(isObject);
}

/** Reads the document's items in order: an organization before the services it runs. */
export function readDocument(document: unknown): ReadResult {
  let top: unknown[];
  if (Array.isArray(document)) top = document;
  else if (isObject(document) && Array.isArray(document.contents)) top = document.contents;
  else if (isObject(document) && Object.keys(document).length > 0) top = [document];
  else return { ok: false, message: NOT_A_DOCUMENT };
  if (top.length > 0 && !top.some(isObject)) return { ok: false, message: NOT_A_DOCUMENT };

  const items: ImportItem[] = [];
  /** Where each source id's item is in `items`. */
  const placed = new Map<string, number>();
  const skip = (label: string, reason: string) => items.push({ kind: 'skipped', label, reason });

  const add = (raw: Raw, kind: 'service' | 'organization', locations: Raw[] | null, organisationSourceId: string | null | undefined) => {
    const item = draftOf(raw, kind, locations, organisationSourceId, items.length + 1);
    if (item.kind === 'skipped') {
      items.push(item);
      return;
    }
    const at = placed.get(item.draft.sourceId);
    const earlier = at === undefined ? undefined : items[at];
    if (at === undefined || earlier === undefined) {
      placed.set(item.draft.sourceId, items.length);
      items.push(item);
    } else if (earlier.kind === 'organization' && kind === 'service') {
      // An organization named by a service, then listed as a service itself (as this directory publishes its own
      // organisations): one asset, with the service's fuller record, still an organisation unless it says otherwise.
      items[at] = { ...item, draft: { ...item.draft, category: item.draft.category ?? 'organisation' } };
    } else if (kind === 'service') {
      skip(item.label, 'it appears more than once in the document; the first was kept');
    }
    // An organization named again (it runs several services) is the same organization: nothing more to add.
  };

  /** A service, after the organization that runs it (named inside it, or around it). */
  const addService = (service: Raw, locations: Raw[] | null, around: Raw | null) => {
    const organization = around ?? (isObject(service.organization) ? service.organization : null);
    if (around === null && organization !== null) add(organization, 'organization', null, undefined);
    const organisationSourceId = gives(service, 'organization', 'organization_id') || around !== null ? (text(organization?.id) ?? text(service.organization_id)) : undefined;
    add(service, 'service', locations, organisationSourceId);
  };

  for (const raw of top) {
    if (!isObject(raw)) {
      skip(`Item ${items.length + 1}`, 'it is not a service or an organization');
      continue;
    }
    const kind = kindOf(raw);
    switch (kind) {
      case 'service':
        addService(raw, locationsOf(raw), null);
        break;
      case 'organization':
        add(raw, 'organization', null, undefined);
        for (const service of objects(raw.services)) addService(service, locationsOf(service), raw);
        break;
      case 'service_at_location':
        if (isObject(raw.service)) addService(raw.service, isObject(raw.location) ? [raw.location] : null, null);
        else skip(labelOf(raw, items.length + 1), 'it is a service at a location with no service in it');
        break;
      case 'taxonomy':
      case 'taxonomy_term':
        skip(labelOf(raw, items.length + 1), `it is a ${kind === 'taxonomy' ? 'taxonomy' : 'taxonomy term'}: it describes categories, not a community asset`);
        break;
    }
  }
  return { ok: true, items };
}
