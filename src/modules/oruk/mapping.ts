import type { DirectoryAssetRow, DirectoryScheduleRow } from './queries.ts';
import { categoryTerm, partId, tagTerm, type TaxonomyTerm } from './taxonomy.ts';

/**
 * A community asset as Open Referral UK (HSDS 3.0) publishes it. Every public asset is a service, and its id is
 * the asset's id; an asset with a place to go is also a service at a location, with the same id (there is one
 * per asset). The parts HSDS wants ids for and we keep no rows for (location, address, contact, phone, links to
 * terms) take name-based ids from the asset's id, so they never change.
 */

type Json = Record<string, unknown>;

/** Only what is known goes out: HSDS leaves out a field rather than sending it empty. */
function known(fields: Json): Json {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0)));
}

/** Web addresses were checked on the way in; parsing again gives the canonical, percent-encoded form. */
function webAddress(value: string | null): string | null {
  if (value === null) return null;
  try {
    return new URL(value).href;
  } catch {
    return null;
  }
}

/** What it costs, in words: free, free with a note (donations welcome), or the cost as written. */
function fees(asset: DirectoryAssetRow): string | null {
  if (asset.free) return asset.cost === null ? 'Free' : `Free: ${asset.cost}`;
  return asset.cost;
}

export function organizationOf(asset: Pick<DirectoryAssetRow, 'org_id' | 'org_name' | 'org_description' | 'org_email' | 'org_website'>) {
  if (asset.org_id === null || asset.org_name === null || asset.org_description === null) return null;
  return known({
    id: asset.org_id,
    name: asset.org_name,
    description: asset.org_description,
    email: asset.org_email,
    website: webAddress(asset.org_website),
  });
}

/** An asset as an organization: used for assets in the organisation category. */
export function organizationListItem(asset: DirectoryAssetRow): Json {
  return known({
    id: asset.id,
    name: asset.name,
    description: asset.description,
    email: asset.contact_email,
    website: webAddress(asset.website),
  });
}

/** The one-to-one fields of a service, as the list endpoints give them. */
export function serviceListItem(asset: DirectoryAssetRow): Json {
  return known({
    id: asset.id,
    organization_id: asset.org_id,
    name: asset.name,
    description: asset.description,
    url: webAddress(asset.website),
    email: asset.contact_email,
    // Closed assets are never shown (see the public_directory policy), so every service published is active.
    status: 'active',
    fees: fees(asset),
    assured_date: asset.last_verified_on,
    last_modified: asset.updated_at.toISOString(),
    organization: organizationOf(asset),
  });
}

export function hasLocation(asset: DirectoryAssetRow): boolean {
  return asset.address_line_1 !== null || asset.postcode !== null || asset.latitude !== null;
}

/**
 * Where the asset is. HSDS wants a full address (first line, town, postcode, county, country) or none: an address
 * is published only when its first line, town and postcode are all known. We keep no county, so it is empty.
 */
function locationOf(asset: DirectoryAssetRow, full: boolean): Json {
  const address =
    asset.address_line_1 !== null && asset.address_town !== null && asset.postcode !== null
      ? {
          id: partId(asset.id, 'address'),
          address_1: asset.address_line_1,
          city: asset.address_town,
          state_province: '',
          postal_code: asset.postcode,
          country: 'GB',
          address_type: 'physical',
        }
      : null;
  return known({
    id: partId(asset.id, 'location'),
    location_type: 'physical',
    name: asset.name,
    latitude: asset.latitude === null ? null : Number(asset.latitude),
    longitude: asset.longitude === null ? null : Number(asset.longitude),
    addresses: full && address !== null ? [address] : null,
    accessibility:
      full && asset.accessibility !== null ? [{ id: partId(asset.id, 'accessibility'), description: asset.accessibility }] : null,
  });
}

const DAY_ORDER = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

function scheduleOf(assetId: string, s: DirectoryScheduleRow): Json {
  return known({
    id: s.id,
    service_id: assetId,
    freq: s.freq === 'weekly' ? 'WEEKLY' : 'MONTHLY',
    // A monthly rule names the week before the day, as iCalendar does: 2MO is the second Monday, -1FR the last Friday.
    byday: s.freq === 'monthly' && s.week_of_month !== null ? `${s.week_of_month}${s.byday}` : s.byday,
    interval: 1,
    opens_at: s.opens_at,
    closes_at: s.closes_at,
    description: s.description,
  });
}

export function termsOf(asset: Pick<DirectoryAssetRow, 'category' | 'tags'>): TaxonomyTerm[] {
  return [categoryTerm(asset.category), ...asset.tags.map(tagTerm)];
}

function contactsOf(asset: DirectoryAssetRow): Json[] {
  if (asset.contact_name === null && asset.contact_phone === null) return [];
  const contactId = partId(asset.id, 'contact');
  return [
    known({
      id: contactId,
      service_id: asset.id,
      name: asset.contact_name,
      // The profile's contact has no phones of its own yet; HSDS 3.0 keeps them here, and the schema allows it.
      phones: asset.contact_phone === null ? null : [{ id: partId(asset.id, 'phone'), contact_id: contactId, number: asset.contact_phone }],
    }),
  ];
}

export interface FullServiceOptions {
  /** Inside a service at a location or an organization, the service does not repeat what surrounds it. */
  withLocations: boolean;
  withOrganization: boolean;
}

/** A service with everything related to it, as /services/{id} gives it. */
export function fullService(asset: DirectoryAssetRow, schedules: readonly DirectoryScheduleRow[], options: FullServiceOptions): Json {
  const list = serviceListItem(asset);
  if (!options.withOrganization) delete list.organization;
  return known({
    ...list,
    schedules: schedules
      .filter((s) => s.asset_id === asset.id)
      .sort((a, b) => DAY_ORDER.indexOf(a.byday) - DAY_ORDER.indexOf(b.byday))
      .map((s) => scheduleOf(asset.id, s)),
    service_at_locations:
      options.withLocations && hasLocation(asset)
        ? [{ id: asset.id, service_id: asset.id, location_id: partId(asset.id, 'location'), location: locationOf(asset, true) }]
        : null,
    contacts: contactsOf(asset),
    attributes: termsOf(asset).map((term) => ({
      id: partId(asset.id, `attribute:${term.id}`),
      link_id: asset.id,
      taxonomy_term_id: term.id,
      link_type: 'service',
      taxonomy_term: term,
    })),
  });
}

/** A service at a location, as the list gives it: the location's own fields and the service's. */
export function serviceAtLocationListItem(asset: DirectoryAssetRow): Json {
  return {
    id: asset.id,
    service_id: asset.id,
    location_id: partId(asset.id, 'location'),
    location: locationOf(asset, false),
    service: serviceListItem(asset),
  };
}

export function fullServiceAtLocation(asset: DirectoryAssetRow, schedules: readonly DirectoryScheduleRow[]): Json {
  return {
    id: asset.id,
    service_id: asset.id,
    location_id: partId(asset.id, 'location'),
    location: locationOf(asset, true),
    service: fullService(asset, schedules, { withLocations: false, withOrganization: true }),
  };
}

export function fullOrganization(organisation: DirectoryAssetRow, services: readonly Json[]): Json {
  return known({ ...organizationListItem(organisation), services });
}
