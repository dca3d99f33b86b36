import { createHash } from 'node:crypto';
import { CATEGORY_OPTIONS, CATEGORY_TEXT } from '../assets/words.ts';
import { ASSET_CATEGORIES, type AssetCategory } from '../assets/tables.ts';

/**
 * The two taxonomies the public directory publishes: the asset-based community development categories, and the
 * tags coordinators give assets. Open Referral UK wants a uuid for every taxonomy, term, location, contact and
 * link, and wants them stable; we keep none of those as rows, so each is a name-based uuid (version 5, RFC 9562)
 * of what it stands for: the same category, tag or asset always gives the same id, on every server.
 */

/** Our namespace for name-based ids (itself a random uuid, fixed once). */
const NAMESPACE = '6f1d3c1e-5a0b-4f47-9d36-0b8e8f3f6a21';

/** A version 5 uuid of `name` in `namespace`. */
export function nameBasedId(name: string, namespace = NAMESPACE): string {
  const hash = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The id of one part of an asset's record (its location, contact, phone, a link to a term). */
export function partId(assetId: string, part: string): string {
  return nameBasedId(part, assetId);
}

export interface Taxonomy {
  id: string;
  name: string;
  description: string;
}

export const CATEGORIES_TAXONOMY: Taxonomy = {
  id: nameBasedId('taxonomy:abcd-categories'),
  name: 'Asset-based community development categories',
  description:
    'The kinds of community asset Local Area Coordinators know in a neighbourhood: people with gifts to share, associations and groups, organisations, places, local businesses, and culture and stories.',
};

export const TAGS_TAXONOMY: Taxonomy = {
  id: nameBasedId('taxonomy:tags'),
  name: 'Tags',
  description: 'Words Local Area Coordinators give community assets so they can be found, like walking or food.',
};

export const TAXONOMIES: readonly Taxonomy[] = [CATEGORIES_TAXONOMY, TAGS_TAXONOMY];

export interface TaxonomyTerm {
  id: string;
  name: string;
  description: string;
  taxonomy: string;
  taxonomy_id: string;
  term: string;
}

export function categoryTermId(category: AssetCategory): string {
  return nameBasedId(`category:${category}`);
}

export function categoryTerm(category: AssetCategory): TaxonomyTerm {
  const option = CATEGORY_OPTIONS.find((o) => o.value === category);
  return {
    id: categoryTermId(category),
    name: CATEGORY_TEXT[category],
    description: option?.hint ?? CATEGORY_TEXT[category],
    taxonomy: CATEGORIES_TAXONOMY.name,
    taxonomy_id: CATEGORIES_TAXONOMY.id,
    term: category,
  };
}

/** Tags are kept in lower case (see the assets module), so one tag is one term whichever programme uses it. */
export function tagTermId(tag: string): string {
  return nameBasedId(`tag:${tag}`);
}

export function tagTerm(tag: string): TaxonomyTerm {
  return {
    id: tagTermId(tag),
    name: tag,
    description: `Community assets tagged “${tag}”`,
    taxonomy: TAGS_TAXONOMY.name,
    taxonomy_id: TAGS_TAXONOMY.id,
    term: tag,
  };
}

export const CATEGORY_TERMS: readonly TaxonomyTerm[] = ASSET_CATEGORIES.map(categoryTerm);

/** The category a term id stands for, if it is one of ours. */
export function categoryOfTermId(id: string): AssetCategory | undefined {
  return ASSET_CATEGORIES.find((c) => categoryTermId(c) === id);
}
