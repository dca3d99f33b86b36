import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readDocument, type AssetDetails, type AssetDraft, type ImportItem } from './document.ts';
import { categoryTermId, nameBasedId, tagTermId } from './taxonomy.ts';

/** Reading Open Referral UK documents, before anything is written. */

/** The drafts read, each with its details alongside its other fields. */
function drafts(items: ImportItem[]): (AssetDraft & Partial<AssetDetails> & { kind: string; notes: string[] })[] {
  return items.flatMap((i) => (i.kind === 'skipped' ? [] : [{ ...i.draft, ...i.draft.details, kind: i.kind, notes: i.notes }]));
}

function read(document: unknown): ImportItem[] {
  const result = readDocument(document);
  assert.ok(result.ok, 'read as a document');
  return result.items;
}

const service = (fields: Record<string, unknown> = {}) => ({
  id: 'svc-1',
  name: 'Tuesday Walk',
  description: 'A walk round the park',
  status: 'active',
  ...fields,
});

describe('name-based ids', () => {
  test('follow RFC 9562 version 5 (the standard test vector) and never change', () => {
    // www.example.com in the DNS namespace.
    assert.equal(nameBasedId('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8'), '2ed6657d-e927-568b-95e1-2665a8aea6a2');
    assert.equal(categoryTermId('place'), categoryTermId('place'));
    assert.notEqual(categoryTermId('place'), categoryTermId('business'));
    assert.notEqual(tagTermId('walking'), tagTermId('food'));
  });
});

describe('reading a document', () => {
  test('a single service, a list page, a package, an organization and a service at a location', () => {
    assert.deepEqual(
      drafts(read(service())).map((d) => [d.kind, d.sourceId]),
      [['service', 'svc-1']],
    );
    assert.equal(drafts(read({ total_items: 2, contents: [service(), service({ id: 'svc-2' })] })).length, 2);
    assert.equal(drafts(read([service(), service({ id: 'svc-2' })])).length, 2);
    const organization = { id: 'org-1', name: 'Trust', description: 'A trust', website: 'https://trust.example.org', services: [service()] };
    assert.deepEqual(
      drafts(read(organization)).map((d) => [d.kind, d.sourceId, d.organisationSourceId, d.category]),
      [
        ['organization', 'org-1', undefined, 'organisation'],
        ['service', 'svc-1', 'org-1', null],
      ],
    );
    const atLocation = { id: 'sal-1', location: { id: 'l', location_type: 'physical', latitude: 53.5, longitude: -2.2 }, service: service() };
    assert.deepEqual(
      drafts(read(atLocation)).map((d) => [d.sourceId, d.latitude, d.longitude]),
      [['svc-1', 53.5, -2.2]],
    );
  });

  test('an organization named by several services is one asset; a service twice is skipped the second time', () => {
    const organization = { id: 'org-1', name: 'Trust', description: 'A trust' };
    const items = read([service({ organization }), service({ id: 'svc-2', organization }), service()]);
    assert.deepEqual(
      items.map((i) => [i.kind, i.label]),
      [
        ['organization', 'Trust'],
        ['service', 'Tuesday Walk'],
        ['service', 'Tuesday Walk'],
        ['skipped', 'Tuesday Walk'],
      ],
    );
  });

  test('an organization listed again as a service (as our own API publishes it) becomes one asset, an organisation', () => {
    const organization = { id: 'org-1', name: 'Trust', description: 'A trust' };
    const items = drafts(read([service({ id: 'svc-2', organization }), service({ id: 'org-1', name: 'Trust', schedules: [{ id: 's', freq: 'WEEKLY', byday: 'MO' }] })]));
    assert.deepEqual(
      items.map((d) => [d.sourceId, d.category, d.schedules?.length]),
      [
        ['org-1', 'organisation', 1],
        ['svc-2', null, undefined],
      ],
    );
  });

  test('items that cannot be kept are skipped, each with its reason', () => {
    const items = read({
      contents: [
        service({ name: '' }),
        service({ id: undefined }),
        service({ description: undefined }),
        service({ name: 'x'.repeat(201) }),
        { id: 't', name: 'Terms', description: 'd', taxonomy_terms: [] },
        { id: 'tt', name: 'Term', description: 'd', term: 'x' },
        'a string',
        { id: 'sal', location: { id: 'l', location_type: 'physical' } },
      ],
    });
    assert.deepEqual(
      items.map((i) => (i.kind === 'skipped' ? i.reason : i.kind)),
      [
        'it has no name',
        'it has no id, so a later import could not update it',
        'it has no description, and every community asset needs one',
        'its name is longer than 200 characters',
        'it is a taxonomy: it describes categories, not a community asset',
        'it is a taxonomy term: it describes categories, not a community asset',
        'it is not a service or an organization',
        'it is a service at a location with no service in it',
      ],
    );
  });

  test('what is not a document at all is refused', () => {
    for (const document of [42, 'text', null, {}, [1, 2]]) assert.equal(readDocument(document).ok, false, JSON.stringify(document));
    // An empty list page is a document with nothing in it.
    assert.deepEqual(read({ contents: [] }), []);
  });
});

describe('fields', () => {
  test('schedules: weekly days, monthly weeks, times without their offset; what a schedule cannot say is left out', () => {
    const [draft] = drafts(
      read(
        service({
          schedules: [
            { id: 'a', freq: 'WEEKLY', byday: 'TH,FR', opens_at: '10:00', closes_at: '18:00:00', description: 'Drop in' },
            { id: 'b', freq: 'MONTHLY', byday: '-1FR,2MO', opens_at: '19:00Z' },
            { id: 'c', freq: 'WEEKLY', interval: 2, byday: 'MO' },
            { id: 'd', freq: 'MONTHLY', bymonthday: '2,3' },
            { id: 'e', freq: 'WEEKLY', byday: 'XX' },
            { id: 'f', freq: 'WEEKLY', byday: 'MO', opens_at: '14:00', closes_at: '09:00' },
          ],
        }),
      ),
    );
    assert.ok(draft);
    assert.deepEqual(
      draft.schedules?.map((s) => [s.freq, s.byday, s.weekOfMonth, s.opensAt, s.closesAt, s.description]),
      [
        ['weekly', 'TH', null, '10:00:00', '18:00:00', 'Drop in'],
        ['weekly', 'FR', null, '10:00:00', '18:00:00', 'Drop in'],
        ['monthly', 'FR', -1, '19:00:00', null, null],
        ['monthly', 'MO', 2, '19:00:00', null, null],
      ],
    );
    assert.deepEqual(draft.notes, [
      "A schedule was left out: it repeats every 2 weeks, which a community asset's schedule cannot say",
      'A schedule was left out: it names no day of the week',
      'A schedule was left out: "XX" is not a day of the week',
      'A schedule was left out: it closes before it opens',
    ]);
  });

  test('a place: the first location, a UK postcode, a position on Earth; anything else left out and said', () => {
    const location = (fields: Record<string, unknown>) => ({
      id: 'l',
      location_type: 'physical',
      addresses: [{ id: 'a', address_1: '1 High Street', city: 'Brookfield', postal_code: 'bf11aa', country: 'GB', state_province: '', address_type: 'physical' }],
      accessibility: [{ id: 'x', description: 'Step-free' }],
      ...fields,
    });
    const [good] = drafts(read(service({ service_at_locations: [{ id: 's', location: location({ latitude: 53.48123456, longitude: -2.24 }) }] })));
    assert.deepEqual(
      good && [good.addressLine1, good.addressTown, good.postcode, good.latitude, good.longitude, good.accessibility, good.notes],
      ['1 High Street', 'Brookfield', 'BF1 1AA', 53.481235, -2.24, 'Step-free', []],
    );
    const [bad] = drafts(
      read(
        service({
          service_at_locations: [
            { id: 's', location: location({ latitude: 100, longitude: 101, addresses: [{ id: 'a', address_1: 'x', city: 'y', postal_code: 'ABC 1234' }] }) },
            { id: 't', location: location({}) },
          ],
        }),
      ),
    );
    assert.deepEqual(bad && [bad.postcode, bad.latitude, bad.longitude, bad.notes], [
      null,
      null,
      null,
      [
        'Only the first of its 2 locations was kept',
        'The postcode ABC 1234 was left out: it is not a UK postcode',
        'The map position was left out: 100, 101 is not a place on Earth',
      ],
    ]);
  });

  test('contact details, cost and terms; our own categories and tags come back as they were published', () => {
    const [draft] = drafts(
      read(
        service({
          url: 'https://walks.example.org/tuesday',
          email: 'walks@example.org',
          fees: 'Free: donations welcome',
          contacts: [{ id: 'c', name: 'Pat', phones: [{ id: 'p', number: '01632 960 001' }] }],
          attributes: [
            { id: 'a1', taxonomy_term: { id: categoryTermId('association'), name: 'Associations and groups', description: 'd' } },
            { id: 'a2', taxonomy_term: { id: tagTermId('walking'), name: 'walking', description: 'd' } },
            { id: 'a3', taxonomy_term: { id: 'other', name: 'Mental Health', description: 'd' } },
          ],
        }),
      ),
    );
    assert.deepEqual(
      draft && [draft.website, draft.contactEmail, draft.free, draft.cost, draft.contactName, draft.contactPhone, draft.category, draft.tags, draft.notes],
      ['https://walks.example.org/tuesday', 'walks@example.org', true, 'donations welcome', 'Pat', '01632 960 001', 'association', ['walking', 'mental health'], []],
    );
    const [odd] = drafts(read(service({ url: 'ftp://x.example.org', email: 'not an email', fees: 'Free of charge', cost_options: [{ id: 'c', amount: 3 }] })));
    assert.deepEqual(odd && [odd.website, odd.contactEmail, odd.free, odd.cost, odd.notes], [
      null,
      null,
      false,
      'Free of charge',
      ['The email address was left out: it is not an email address', 'The web address was left out: it is not a web address starting http:// or https://'],
    ]);
    const [priced] = drafts(read(service({ cost_options: [{ id: 'c', amount: 35, amount_description: 'per session', option: 'Adults' }] })));
    assert.deepEqual(priced && [priced.free, priced.cost], [false, '£35 per session (Adults)']);
    const [free] = drafts(read(service({ cost_options: [{ id: 'c', amount: 0 }] })));
    assert.deepEqual(free && [free.free, free.cost], [true, null]);
  });

  test('what a document leaves out entirely is not in the draft, so an update keeps it; what it gives empty is emptied', () => {
    const [compact] = drafts(read(service()));
    assert.deepEqual(compact && [compact.details, compact.schedules, compact.organisationSourceId], [{}, null, undefined]);
    const [empty] = drafts(read(service({ service_at_locations: [], contacts: [], schedules: [], attributes: [], url: null, organization_id: null })));
    assert.deepEqual(empty && [empty.details, empty.schedules, empty.organisationSourceId], [
      {
        addressLine1: null,
        addressTown: null,
        postcode: null,
        latitude: null,
        longitude: null,
        accessibility: null,
        contactName: null,
        contactPhone: null,
        website: null,
        tags: [],
      },
      [],
      null,
    ]);
  });

  test('NUL characters, which the database cannot keep, are taken out; long labels are cut short', () => {
    const items = read([service({ name: 'Tuesday\u0000 Walk', email: 'walks@example.org\u0000', attributes: [{ id: 'a', taxonomy_term: { id: 't', name: 'walk\u0000ing', description: 'd' } }] }), service({ id: 'x', name: 'y'.repeat(300), description: undefined })]);
    const [draft] = drafts(items);
    assert.deepEqual(draft && [draft.name, draft.contactEmail, draft.tags], ['Tuesday Walk', 'walks@example.org', ['walking']]);
    assert.equal(items[1]?.label, `${'y'.repeat(119)}…`);
  });

  test('a service that is not active says so', () => {
    const [draft] = drafts(read(service({ status: 'defunct' })));
    assert.equal(draft?.notRunning, 'defunct');
  });
});
