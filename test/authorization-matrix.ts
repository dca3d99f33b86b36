import { CATEGORIES_TAXONOMY, categoryTermId } from '../src/modules/oruk/taxonomy.ts';

/**
 * Who may do what, route by route: the expected HTTP status for every role. The test that reads this also
 * fails when the app has a route that is not listed here, so a new route cannot ship without a decision.
 *
 * Columns: anonymous (no session), coordinator (Marsh End), otherCoordinator (Hollins Park), manager,
 * leadership, evaluator, admin, and otherManager (a manager in another programme).
 * Paths use fixtures: :person is a person in Marsh End, :area is Marsh End, :user is the Hollins Park coordinator.
 * POSTs send a valid CSRF token and an empty form: an allowed role gets 400 (the form re-shown), never a change.
 */
export const ACTORS = ['anonymous', 'coordinator', 'otherCoordinator', 'manager', 'leadership', 'evaluator', 'admin', 'otherManager'] as const;
export type ActorName = (typeof ACTORS)[number];

export interface MatrixEntry {
  method: 'GET' | 'POST';
  /** The route as registered. */
  route: string;
  /** A concrete path to request. */
  path: string;
  expect: Record<ActorName, number>;
  /** A person-level route: each request, allowed or refused, leaves exactly one audit row. */
  personLevel?: boolean;
}

const all = (status: number): Record<ActorName, number> =>
  Object.fromEntries(ACTORS.map((a) => [a, status])) as Record<ActorName, number>;

const onlySignedIn = (status: number) => ({ ...all(status), anonymous: 303 });

const roles = (allowed: Partial<Record<ActorName, number>>) => ({ ...onlySignedIn(403), ...allowed });

const adminOnly = (status: number) => roles({ admin: status });

/** An id no community asset has: the public API's single-item routes answer 404 for it, to everyone alike. */
const NO_SUCH_ASSET = '00000000-0000-4000-8000-000000000000';

export const MATRIX: MatrixEntry[] = [
  { method: 'GET', route: '/health', path: '/health', expect: all(200) },
  { method: 'GET', route: '/assets/*', path: '/assets/images/favicon.svg', expect: all(200) },
  { method: 'GET', route: '/*', path: '/stylesheets/application.css', expect: all(200) },
  { method: 'GET', route: '/sign-in', path: '/sign-in', expect: { ...all(303), anonymous: 200 } },
  { method: 'POST', route: '/sign-in', path: '/sign-in', expect: all(400) },
  { method: 'POST', route: '/sign-out', path: '/sign-out', expect: all(200) },
  { method: 'GET', route: '/programmes', path: '/programmes', expect: onlySignedIn(200) },
  { method: 'POST', route: '/programmes', path: '/programmes', expect: onlySignedIn(400) },
  { method: 'GET', route: '/', path: '/', expect: all(303) },
  { method: 'GET', route: '/overview', path: '/overview', expect: onlySignedIn(200) },
  // The programme's figures, under disclosure control. The PDF needs Chromium, which the app under test is not given.
  { method: 'GET', route: '/overview/report', path: '/overview/report', expect: roles({ manager: 200, otherManager: 200, leadership: 200, evaluator: 200 }) },
  { method: 'GET', route: '/overview/report.pdf', path: '/overview/report.pdf', expect: roles({ manager: 404, otherManager: 404, leadership: 404, evaluator: 404 }) },
  {
    method: 'GET',
    route: '/overview/tables/:table',
    path: '/overview/tables/introductions-by-month.csv',
    expect: roles({ manager: 200, otherManager: 200, leadership: 200, evaluator: 200 }),
  },
  { method: 'GET', route: '/team', path: '/team', expect: roles({ manager: 200, otherManager: 200 }) },

  { method: 'GET', route: '/people', path: '/people', expect: roles({ coordinator: 200, otherCoordinator: 200, manager: 200, otherManager: 200 }) },
  {
    method: 'GET',
    route: '/introductions/new',
    path: '/introductions/new',
    expect: roles({ coordinator: 200, otherCoordinator: 200, manager: 200, otherManager: 200 }),
  },
  {
    method: 'POST',
    route: '/introductions',
    path: '/introductions',
    expect: roles({ coordinator: 400, otherCoordinator: 400, manager: 400, otherManager: 400 }),
  },
  {
    method: 'GET',
    route: '/people/:id',
    path: '/people/:person',
    expect: roles({ coordinator: 200, otherCoordinator: 404, manager: 200, otherManager: 404 }),
    personLevel: true,
  },
  {
    method: 'GET',
    route: '/people/:id/audit',
    path: '/people/:person/audit',
    expect: roles({ manager: 200, admin: 200, otherManager: 404 }),
    personLevel: true,
  },

  { method: 'GET', route: '/admin', path: '/admin', expect: adminOnly(200) },
  { method: 'GET', route: '/admin/record-audit', path: '/admin/record-audit', expect: adminOnly(400) },
  { method: 'GET', route: '/admin/areas', path: '/admin/areas', expect: adminOnly(200) },
  { method: 'GET', route: '/admin/areas/new', path: '/admin/areas/new', expect: adminOnly(200) },
  { method: 'POST', route: '/admin/areas', path: '/admin/areas', expect: adminOnly(400) },
  { method: 'GET', route: '/admin/areas/:id', path: '/admin/areas/:area', expect: adminOnly(200) },
  { method: 'POST', route: '/admin/areas/:id', path: '/admin/areas/:area', expect: adminOnly(400) },
  { method: 'GET', route: '/admin/users', path: '/admin/users', expect: adminOnly(200) },
  { method: 'GET', route: '/admin/users/new', path: '/admin/users/new', expect: adminOnly(200) },
  { method: 'POST', route: '/admin/users', path: '/admin/users', expect: adminOnly(400) },
  { method: 'GET', route: '/admin/users/:id', path: '/admin/users/:user', expect: adminOnly(200) },
  { method: 'POST', route: '/admin/users/:id', path: '/admin/users/:user', expect: adminOnly(400) },
  { method: 'POST', route: '/admin/users/:id/disable', path: '/admin/users/:user/disable', expect: adminOnly(400) },
  { method: 'POST', route: '/admin/users/:id/enable', path: '/admin/users/:user/enable', expect: adminOnly(400) },

  // --- people: the person's record (details, household, status) ---
  {
    method: 'POST',
    route: '/people/search',
    path: '/people/search',
    expect: roles({ coordinator: 400, otherCoordinator: 400, manager: 400, otherManager: 400 }),
  },
  {
    method: 'GET',
    route: '/people/:id/details',
    path: '/people/:person/details',
    expect: roles({ coordinator: 200, otherCoordinator: 404, manager: 200, otherManager: 404 }),
    personLevel: true,
  },
  {
    method: 'POST',
    route: '/people/:id/details',
    path: '/people/:person/details',
    expect: roles({ coordinator: 400, otherCoordinator: 404, manager: 400, otherManager: 404 }),
    personLevel: true,
  },
  {
    method: 'GET',
    route: '/people/:id/status',
    path: '/people/:person/status',
    expect: roles({ coordinator: 200, otherCoordinator: 404, manager: 200, otherManager: 404 }),
    personLevel: true,
  },
  {
    method: 'POST',
    route: '/people/:id/status',
    path: '/people/:person/status',
    expect: roles({ coordinator: 400, otherCoordinator: 404, manager: 400, otherManager: 404 }),
    personLevel: true,
  },
  {
    method: 'GET',
    route: '/people/:id/household/new',
    path: '/people/:person/household/new',
    expect: roles({ coordinator: 200, otherCoordinator: 404, manager: 200, otherManager: 404 }),
    personLevel: true,
  },
  {
    method: 'POST',
    route: '/people/:id/household',
    path: '/people/:person/household',
    expect: roles({ coordinator: 400, otherCoordinator: 404, manager: 400, otherManager: 404 }),
    personLevel: true,
  },
  // :householdMember is a household member of :person (a fixture in authorization.test.ts).
  {
    method: 'GET',
    route: '/people/:id/household/change',
    path: '/people/:person/household/change?member=:householdMember',
    expect: roles({ coordinator: 200, otherCoordinator: 404, manager: 200, otherManager: 404 }),
    personLevel: true,
  },
  {
    method: 'POST',
    route: '/people/:id/household/change',
    path: '/people/:person/household/change',
    expect: roles({ coordinator: 400, otherCoordinator: 404, manager: 400, otherManager: 404 }),
    personLevel: true,
  },
  {
    method: 'POST',
    route: '/people/:id/household/remove',
    path: '/people/:person/household/remove',
    expect: roles({ coordinator: 400, otherCoordinator: 404, manager: 400, otherManager: 404 }),
    personLevel: true,
  },

  // --- vision: vision of a good life, what matters, gifts, themes ---
  {
    method: 'GET',
    route: '/people/:id/about',
    path: '/people/:person/about',
    expect: roles({ coordinator: 200, otherCoordinator: 404, manager: 200, otherManager: 404 }),
    personLevel: true,
  },
  {
    method: 'GET',
    route: '/people/:id/vision',
    path: '/people/:person/vision',
    expect: roles({ coordinator: 200, otherCoordinator: 404, manager: 200, otherManager: 404 }),
    personLevel: true,
  },
  {
    method: 'POST',
    route: '/people/:id/vision',
    path: '/people/:person/vision',
    expect: roles({ coordinator: 400, otherCoordinator: 404, manager: 400, otherManager: 404 }),
    personLevel: true,
  },
  {
    method: 'GET',
    route: '/people/:id/what-matters',
    path: '/people/:person/what-matters',
    expect: roles({ coordinator: 200, otherCoordinator: 404, manager: 200, otherManager: 404 }),
    personLevel: true,
  },
  {
    method: 'POST',
    route: '/people/:id/what-matters',
    path: '/people/:person/what-matters',
    expect: roles({ coordinator: 400, otherCoordinator: 404, manager: 400, otherManager: 404 }),
    personLevel: true,
  },
  {
    method: 'GET',
    route: '/people/:id/themes',
    path: '/people/:person/themes',
    expect: roles({ coordinator: 200, otherCoordinator: 404, manager: 200, otherManager: 404 }),
    personLevel: true,
  },
  {
    method: 'POST',
    route: '/people/:id/themes',
    path: '/people/:person/themes',
    expect: roles({ coordinator: 400, otherCoordinator: 404, manager: 400, otherManager: 404 }),
    personLevel: true,
  },

  // --- circle: natural supports and the circle of support ---
  {
    method: 'GET',
    route: '/people/:id/circle',
    path: '/people/:person/circle',
    expect: roles({ coordinator: 200, otherCoordinator: 404, manager: 200, otherManager: 404 }),
    personLevel: true,
  },
  {
    method: 'GET',
    route: '/people/:id/circle/add',
    path: '/people/:person/circle/add',
    expect: roles({ coordinator: 200, otherCoordinator: 404, manager: 200, otherManager: 404 }),
    personLevel: true,
  },
  {
    method: 'POST',
    route: '/people/:id/circle',
    path: '/people/:person/circle',
    expect: roles({ coordinator: 400, otherCoordinator: 404, manager: 400, otherManager: 404 }),
    personLevel: true,
  },
  {
    method: 'GET',
    route: '/people/:id/circle/change',
    path: '/people/:person/circle/change',
    expect: roles({ coordinator: 200, otherCoordinator: 404, manager: 200, otherManager: 404 }),
    personLevel: true,
  },
  {
    method: 'POST',
    route: '/people/:id/circle/change',
    path: '/people/:person/circle/change',
    expect: roles({ coordinator: 400, otherCoordinator: 404, manager: 400, otherManager: 404 }),
    personLevel: true,
  },
  {
    method: 'POST',
    route: '/people/:id/circle/leave',
    path: '/people/:person/circle/leave',
    expect: roles({ coordinator: 400, otherCoordinator: 404, manager: 400, otherManager: 404 }),
    personLevel: true,
  },
  {
    method: 'GET',
    route: '/people/:id/circle/compare',
    path: '/people/:person/circle/compare',
    expect: roles({ coordinator: 200, otherCoordinator: 404, manager: 200, otherManager: 404 }),
    personLevel: true,
  },

  // --- agreements: shared agreements and steps ---
  {
    method: 'GET',
    route: '/people/:id/agreement',
    path: '/people/:person/agreement',
    expect: roles({ coordinator: 200, otherCoordinator: 404, manager: 200, otherManager: 404 }),
    personLevel: true,
  },
  {
    method: 'GET',
    route: '/people/:id/agreement/print',
    path: '/people/:person/agreement/print',
    expect: roles({ coordinator: 200, otherCoordinator: 404, manager: 200, otherManager: 404 }),
    personLevel: true,
  },
  {
    method: 'GET',
    route: '/people/:id/agreement/new',
    path: '/people/:person/agreement/new',
    expect: roles({ coordinator: 200, otherCoordinator: 404, manager: 200, otherManager: 404 }),
    personLevel: true,
  },
  {
    method: 'POST',
    route: '/people/:id/agreement',
    path: '/people/:person/agreement',
    expect: roles({ coordinator: 400, otherCoordinator: 404, manager: 400, otherManager: 404 }),
    personLevel: true,
  },
  {
    method: 'GET',
    route: '/people/:id/agreement/steps/new',
    path: '/people/:person/agreement/steps/new',
    expect: roles({ coordinator: 200, otherCoordinator: 404, manager: 200, otherManager: 404 }),
    personLevel: true,
  },
  {
    method: 'POST',
    route: '/people/:id/agreement/steps',
    path: '/people/:person/agreement/steps',
    expect: roles({ coordinator: 400, otherCoordinator: 404, manager: 400, otherManager: 404 }),
    personLevel: true,
  },
  // The step's id travels in the form, not the address: an empty form names no step, so the steps are shown again.
  {
    method: 'POST',
    route: '/people/:id/agreement/steps/change',
    path: '/people/:person/agreement/steps/change',
    expect: roles({ coordinator: 400, otherCoordinator: 404, manager: 400, otherManager: 404 }),
    personLevel: true,
  },

  // --- journal: the journal, the timeline and connections between people ---
  // An entry's or a connection's id travels in the query or the form: with none, the choice is shown (again).
  {
    method: 'GET',
    route: '/people/:id/timeline',
    path: '/people/:person/timeline',
    expect: roles({ coordinator: 200, otherCoordinator: 404, manager: 200, otherManager: 404 }),
    personLevel: true,
  },
  {
    method: 'GET',
    route: '/people/:id/journal/new',
    path: '/people/:person/journal/new',
    expect: roles({ coordinator: 200, otherCoordinator: 404, manager: 200, otherManager: 404 }),
    personLevel: true,
  },
  {
    method: 'POST',
    route: '/people/:id/journal',
    path: '/people/:person/journal',
    expect: roles({ coordinator: 400, otherCoordinator: 404, manager: 400, otherManager: 404 }),
    personLevel: true,
  },
  {
    method: 'GET',
    route: '/people/:id/journal/change',
    path: '/people/:person/journal/change',
    expect: roles({ coordinator: 200, otherCoordinator: 404, manager: 200, otherManager: 404 }),
    personLevel: true,
  },
  {
    method: 'POST',
    route: '/people/:id/journal/change',
    path: '/people/:person/journal/change',
    expect: roles({ coordinator: 400, otherCoordinator: 404, manager: 400, otherManager: 404 }),
    personLevel: true,
  },
  {
    method: 'GET',
    route: '/people/:id/connections',
    path: '/people/:person/connections',
    expect: roles({ coordinator: 200, otherCoordinator: 404, manager: 200, otherManager: 404 }),
    personLevel: true,
  },
  {
    method: 'GET',
    route: '/people/:id/connections/new',
    path: '/people/:person/connections/new',
    expect: roles({ coordinator: 200, otherCoordinator: 404, manager: 200, otherManager: 404 }),
    personLevel: true,
  },
  {
    method: 'POST',
    route: '/people/:id/connections/find',
    path: '/people/:person/connections/find',
    expect: roles({ coordinator: 400, otherCoordinator: 404, manager: 400, otherManager: 404 }),
    personLevel: true,
  },
  {
    method: 'POST',
    route: '/people/:id/connections',
    path: '/people/:person/connections',
    expect: roles({ coordinator: 400, otherCoordinator: 404, manager: 400, otherManager: 404 }),
    personLevel: true,
  },
  {
    method: 'GET',
    route: '/people/:id/connections/end',
    path: '/people/:person/connections/end',
    expect: roles({ coordinator: 200, otherCoordinator: 404, manager: 200, otherManager: 404 }),
    personLevel: true,
  },
  {
    method: 'POST',
    route: '/people/:id/connections/end',
    path: '/people/:person/connections/end',
    expect: roles({ coordinator: 400, otherCoordinator: 404, manager: 400, otherManager: 404 }),
    personLevel: true,
  },

  // --- introductions: a manager shares out the people introduced ---
  { method: 'GET', route: '/introductions/waiting', path: '/introductions/waiting', expect: roles({ manager: 200, otherManager: 200 }) },
  {
    method: 'GET',
    route: '/people/:id/coordinator',
    path: '/people/:person/coordinator',
    expect: roles({ manager: 200, otherManager: 404 }),
    personLevel: true,
  },
  {
    method: 'POST',
    route: '/people/:id/coordinator',
    path: '/people/:person/coordinator',
    expect: roles({ manager: 400, otherManager: 404 }),
    personLevel: true,
  },

  // --- safeguarding: a person's concerns, and a manager's list of every open one ---
  // Which concern a change is about travels in the query or the form: with none, the list of concerns (or 400).
  {
    method: 'GET',
    route: '/people/:id/concerns',
    path: '/people/:person/concerns',
    expect: roles({ coordinator: 200, otherCoordinator: 404, manager: 200, otherManager: 404 }),
    personLevel: true,
  },
  {
    method: 'GET',
    route: '/people/:id/concerns/new',
    path: '/people/:person/concerns/new',
    expect: roles({ coordinator: 200, otherCoordinator: 404, manager: 200, otherManager: 404 }),
    personLevel: true,
  },
  {
    method: 'POST',
    route: '/people/:id/concerns',
    path: '/people/:person/concerns',
    expect: roles({ coordinator: 400, otherCoordinator: 404, manager: 400, otherManager: 404 }),
    personLevel: true,
  },
  {
    method: 'GET',
    route: '/people/:id/concerns/change',
    path: '/people/:person/concerns/change',
    expect: roles({ coordinator: 303, otherCoordinator: 404, manager: 303, otherManager: 404 }),
    personLevel: true,
  },
  {
    method: 'POST',
    route: '/people/:id/concerns/change',
    path: '/people/:person/concerns/change',
    expect: roles({ coordinator: 400, otherCoordinator: 404, manager: 400, otherManager: 404 }),
    personLevel: true,
  },
  { method: 'GET', route: '/concerns', path: '/concerns', expect: roles({ manager: 200, otherManager: 200 }) },

  // --- outcomes: a person's check-ins and service use. Which one a correction is about travels in the query or the
  // form: with none, the outcomes page (or 400). ---
  ...(
    [
      ['GET', '/people/:id/outcomes', 200],
      ['GET', '/people/:id/outcomes/check-ins/new', 200],
      ['POST', '/people/:id/outcomes/check-ins', 400],
      ['GET', '/people/:id/outcomes/check-ins/change', 303],
      ['POST', '/people/:id/outcomes/check-ins/change', 400],
      ['GET', '/people/:id/outcomes/service-use/new', 200],
      ['POST', '/people/:id/outcomes/service-use', 400],
      ['GET', '/people/:id/outcomes/service-use/change', 303],
      ['POST', '/people/:id/outcomes/service-use/change', 400],
    ] as const
  ).map(([method, route, status]) => ({
    method,
    route,
    path: route.replace(':id', ':person'),
    expect: roles({ coordinator: status, otherCoordinator: 404, manager: status, otherManager: 404 }),
    personLevel: true,
  })),

  // --- assets: community assets, read across the programme, changed by a coordinator in their neighbourhood or a
  // manager; :asset is in Marsh End (a fixture in authorization.test.ts). Asset ids in paths are fine: not people.
  ...(['/community', '/community/stale', '/community/map', '/community/assets/new'] as const).map((route) => ({
    method: 'GET' as const,
    route,
    path: route,
    expect: roles({ coordinator: 200, otherCoordinator: 200, manager: 200, otherManager: 200 }),
  })),
  // The directory's search by words or postcode: an empty form searches for everything.
  {
    method: 'POST',
    route: '/community/search',
    path: '/community/search',
    expect: roles({ coordinator: 200, otherCoordinator: 200, manager: 200, otherManager: 200 }),
  },
  {
    method: 'POST',
    route: '/community/assets/new',
    path: '/community/assets/new',
    expect: roles({ coordinator: 400, otherCoordinator: 400, manager: 400, otherManager: 400 }),
  },
  {
    method: 'GET',
    route: '/community/assets/:id',
    path: '/community/assets/:asset',
    expect: roles({ coordinator: 200, otherCoordinator: 200, manager: 200, otherManager: 404 }),
  },
  ...(['change', 'close'] as const).map((part) => ({
    method: 'GET' as const,
    route: `/community/assets/:id/${part}`,
    path: `/community/assets/:asset/${part}`,
    expect: roles({ coordinator: 200, otherCoordinator: 403, manager: 200, otherManager: 404 }),
  })),
  ...(['change', 'verify', 'close', 'reopen'] as const).map((part) => ({
    method: 'POST' as const,
    route: `/community/assets/:id/${part}`,
    path: `/community/assets/:asset/${part}`,
    expect: roles({ coordinator: 400, otherCoordinator: 403, manager: 400, otherManager: 404 }),
  })),
  { method: 'GET', route: '/admin/community', path: '/admin/community', expect: adminOnly(200) },
  { method: 'POST', route: '/admin/community', path: '/admin/community', expect: adminOnly(400) },
  { method: 'GET', route: '/admin/postcodes', path: '/admin/postcodes', expect: adminOnly(200) },
  { method: 'POST', route: '/admin/postcodes', path: '/admin/postcodes', expect: adminOnly(400) },
  // Community assets in a person's life: which one travels in the form (or the query of the page that ends it).
  ...(['/people/:id/assets', '/people/:id/assets/new', '/people/:id/assets/end'] as const).map((route) => ({
    method: 'GET' as const,
    route,
    path: route.replace(':id', ':person'),
    expect: roles({ coordinator: 200, otherCoordinator: 404, manager: 200, otherManager: 404 }),
    personLevel: true,
  })),
  ...(['/people/:id/assets/find', '/people/:id/assets', '/people/:id/assets/end'] as const).map((route) => ({
    method: 'POST' as const,
    route,
    path: route.replace(':id', ':person'),
    expect: roles({ coordinator: 400, otherCoordinator: 404, manager: 400, otherManager: 404 }),
    personLevel: true,
  })),
  // The unit-cost library: read by those who work with the evidence; a programme's own costs kept by its managers.
  {
    method: 'GET',
    route: '/impact/unit-costs',
    path: '/impact/unit-costs',
    expect: roles({ coordinator: 200, otherCoordinator: 200, manager: 200, leadership: 200, evaluator: 200, otherManager: 200 }),
  },
  {
    method: 'GET',
    route: '/impact/unit-costs/:id',
    path: '/impact/unit-costs/:unitCost',
    expect: roles({ coordinator: 200, otherCoordinator: 200, manager: 200, leadership: 200, evaluator: 200, otherManager: 404 }),
  },
  { method: 'GET', route: '/impact/unit-costs/new', path: '/impact/unit-costs/new', expect: roles({ manager: 200, otherManager: 200 }) },
  { method: 'POST', route: '/impact/unit-costs', path: '/impact/unit-costs', expect: roles({ manager: 400, otherManager: 400 }) },
  { method: 'GET', route: '/impact/unit-costs/:id/change', path: '/impact/unit-costs/:unitCost/change', expect: roles({ manager: 200, otherManager: 404 }) },
  { method: 'POST', route: '/impact/unit-costs/:id/change', path: '/impact/unit-costs/:unitCost/change', expect: roles({ manager: 400, otherManager: 404 }) },
  // --- avoided outcomes: part of a person's record (which one travels in the query or the form: with none, the list
  // again, or 400); verified or returned by a manager. Investment and the returns are a manager's; scenarios an admin's.
  ...(
    [
      ['GET', '/people/:id/avoided', 200],
      ['GET', '/people/:id/avoided/new', 200],
      ['POST', '/people/:id/avoided', 400],
      ['GET', '/people/:id/avoided/change', 303],
      ['POST', '/people/:id/avoided/change', 400],
    ] as const
  ).map(([method, route, status]) => ({
    method,
    route,
    path: route.replace(':id', ':person'),
    expect: roles({ coordinator: status, otherCoordinator: 404, manager: status, otherManager: 404 }),
    personLevel: true,
  })),
  { method: 'POST', route: '/people/:id/avoided/verify', path: '/people/:person/avoided/verify', expect: roles({ manager: 400, otherManager: 404 }), personLevel: true },
  { method: 'GET', route: '/impact/verification', path: '/impact/verification', expect: roles({ manager: 200, otherManager: 200 }) },
  ...(
    [
      ['GET', '/impact/investment', 200],
      ['POST', '/impact/investment', 400],
      ['GET', '/impact/investment/change', 303],
      ['POST', '/impact/investment/change', 400],
      ['POST', '/impact/investment/delete', 400],
      ['GET', '/impact/returns', 200],
      ['GET', '/impact/projection', 200],
    ] as const
  ).map(([method, route, status]) => ({ method, route, path: route, expect: roles({ manager: status, otherManager: status }) })),
  { method: 'GET', route: '/admin/scenarios', path: '/admin/scenarios', expect: adminOnly(200) },
  { method: 'GET', route: '/admin/scenarios/:kind', path: '/admin/scenarios/core', expect: adminOnly(200) },
  { method: 'POST', route: '/admin/scenarios/:kind', path: '/admin/scenarios/core', expect: adminOnly(400) },
  { method: 'POST', route: '/admin/scenarios/:kind/costs', path: '/admin/scenarios/core/costs', expect: adminOnly(400) },
  { method: 'POST', route: '/admin/scenarios/:kind/costs/remove', path: '/admin/scenarios/core/costs/remove', expect: adminOnly(400) },
  { method: 'POST', route: '/admin/prices', path: '/admin/prices', expect: adminOnly(400) },
  // --- oruk: the public Open Referral UK API (GET only, the same for everyone, signed in or not) and the import ---
  ...(
    [
      ['/api/oruk', '/api/oruk/', 200],
      ['/api/oruk/services', '/api/oruk/services', 200],
      ['/api/oruk/services/:id', `/api/oruk/services/${NO_SUCH_ASSET}`, 404],
      ['/api/oruk/service_at_locations', '/api/oruk/service_at_locations', 200],
      ['/api/oruk/service_at_locations/:id', `/api/oruk/service_at_locations/${NO_SUCH_ASSET}`, 404],
      ['/api/oruk/organizations', '/api/oruk/organizations', 200],
      ['/api/oruk/organizations/:id', `/api/oruk/organizations/${NO_SUCH_ASSET}`, 404],
      ['/api/oruk/taxonomies', '/api/oruk/taxonomies', 200],
      ['/api/oruk/taxonomies/:id', `/api/oruk/taxonomies/${CATEGORIES_TAXONOMY.id}`, 200],
      ['/api/oruk/taxonomy_terms', '/api/oruk/taxonomy_terms', 200],
      ['/api/oruk/taxonomy_terms/:id', `/api/oruk/taxonomy_terms/${categoryTermId('place')}`, 200],
      ['/api/oruk/*', '/api/oruk/nothing-here', 404],
    ] as const
  ).map(([route, path, status]) => ({ method: 'GET' as const, route, path, expect: all(status) })),
  { method: 'GET', route: '/community/import', path: '/community/import', expect: roles({ manager: 200, otherManager: 200 }) },
  { method: 'POST', route: '/community/import', path: '/community/import', expect: roles({ manager: 400, otherManager: 400 }) },

  // --- offers: a person's offers and asks (part of their record; which one travels in the query or the form: with
  // none, the list again, or 400), and the programme-wide lists, asset offers and schemes. :assetOffer is an offer
  // from :asset, :scheme a scheme (fixtures in test/community-work-fixtures.ts). ---
  ...(
    [
      ['GET', '/people/:id/offers', 200],
      ['GET', '/people/:id/offers/new', 200],
      ['POST', '/people/:id/offers', 400],
      ['GET', '/people/:id/offers/change', 303],
      ['POST', '/people/:id/offers/change', 400],
      ['GET', '/people/:id/offers/match', 303],
      ['POST', '/people/:id/offers/match', 400],
      ['GET', '/people/:id/offers/done', 303],
      ['POST', '/people/:id/offers/done', 400],
      ['GET', '/people/:id/offers/undo', 303],
      ['POST', '/people/:id/offers/undo', 400],
    ] as const
  ).map(([method, route, status]) => ({
    method,
    route,
    path: route.replace(':id', ':person'),
    expect: roles({ coordinator: status, otherCoordinator: 404, manager: status, otherManager: 404 }),
    personLevel: true,
  })),
  ...(
    [
      ['GET', '/community/offers', 200],
      ['GET', '/community/asks', 200],
      ['GET', '/community/offers/new', 200],
      ['POST', '/community/offers', 400],
      ['GET', '/community/schemes', 200],
      ['GET', '/community/schemes/new', 200],
      ['POST', '/community/schemes', 400],
      ['GET', '/community/capacity', 200],
      ['GET', '/community/capacity/new', 200],
      ['POST', '/community/capacity', 400],
    ] as const
  ).map(([method, route, status]) => ({
    method,
    route,
    path: route,
    expect: roles({ coordinator: status, otherCoordinator: status, manager: status, otherManager: status }),
  })),
  ...(
    [
      ['GET', '/community/offers/:id/change', '/community/offers/:assetOffer/change', 200],
      ['POST', '/community/offers/:id/change', '/community/offers/:assetOffer/change', 400],
      ['GET', '/community/schemes/:id', '/community/schemes/:scheme', 200],
      ['GET', '/community/schemes/:id/change', '/community/schemes/:scheme/change', 200],
      ['POST', '/community/schemes/:id/change', '/community/schemes/:scheme/change', 400],
      ['GET', '/community/capacity/:id', '/community/capacity/:initiative', 200],
    ] as const
  ).map(([method, route, path, status]) => ({
    method,
    route,
    path,
    expect: roles({ coordinator: status, otherCoordinator: status, manager: status, otherManager: 404 }),
  })),
  // --- capacity: an initiative in Marsh End is changed by Marsh End's coordinators and managers only ---
  ...(
    [
      ['GET', '/community/capacity/:id/change', 200],
      ['POST', '/community/capacity/:id/change', 400],
      ['POST', '/community/capacity/:id/funding', 400],
      ['GET', '/community/capacity/:id/funding/change', 303],
      ['POST', '/community/capacity/:id/funding/change', 400],
      ['POST', '/community/capacity/:id/funding/remove', 400],
      ['POST', '/community/capacity/:id/updates', 400],
    ] as const
  ).map(([method, route, status]) => ({
    method,
    route,
    path: route.replace(':id', ':initiative'),
    expect: roles({ coordinator: status, otherCoordinator: 403, manager: status, otherManager: 404 }),
  })),
  // --- barriers: recorded by coordinators and managers; the Leadership Group sees the log as counts. Linking a
  // person is a change to their record (who travels in the form: an empty form names nobody, 400). ---
  { method: 'GET', route: '/barriers', path: '/barriers', expect: roles({ coordinator: 200, otherCoordinator: 200, manager: 200, leadership: 200, otherManager: 200 }) },
  { method: 'GET', route: '/barriers/new', path: '/barriers/new', expect: roles({ coordinator: 200, otherCoordinator: 200, manager: 200, otherManager: 200 }) },
  { method: 'POST', route: '/barriers', path: '/barriers', expect: roles({ coordinator: 400, otherCoordinator: 400, manager: 400, otherManager: 400 }) },
  ...(
    [
      ['GET', '/barriers/:id', 200, false],
      ['GET', '/barriers/:id/change', 200, false],
      ['POST', '/barriers/:id/change', 400, false],
      ['POST', '/barriers/:id/people/find', 400, false],
      ['POST', '/barriers/:id/people', 400, true],
      ['POST', '/barriers/:id/people/remove', 400, true],
    ] as const
  ).map(([method, route, status, personLevel]) => ({
    method,
    route,
    path: route.replace(':id', ':barrier'),
    expect: roles({ coordinator: status, otherCoordinator: status, manager: status, otherManager: 404 }),
    ...(personLevel ? { personLevel } : {}),
  })),
  // --- stories: consent is part of the person's record (their coordinators and managers); stories are managers'
  // only. A story's routes open the person's record it was written from: an id no story has is 404, still audited. ---
  ...(
    [
      ['GET', 200],
      ['POST', 400],
    ] as const
  ).map(([method, status]) => ({
    method,
    route: '/people/:id/story-consent',
    path: '/people/:person/story-consent',
    expect: roles({ coordinator: status, otherCoordinator: 404, manager: status, otherManager: 404 }),
    personLevel: true,
  })),
  { method: 'GET', route: '/stories', path: '/stories', expect: roles({ manager: 200, otherManager: 200 }) },
  { method: 'GET', route: '/stories/new', path: '/stories/new', expect: roles({ manager: 200, otherManager: 200 }) },
  { method: 'POST', route: '/stories', path: '/stories', expect: roles({ manager: 400, otherManager: 400 }) },
  ...(
    [
      ['GET', '/stories/:id'],
      ['GET', '/stories/:id/change'],
      ['POST', '/stories/:id/change'],
    ] as const
  ).map(([method, route]) => ({
    method,
    route,
    path: route.replace(':id', NO_SUCH_ASSET),
    expect: roles({ manager: 404, otherManager: 404 }),
  })),
];
