import type { CurrentUser } from '../../core/auth/can.ts';
import { inTransaction } from '../../core/db/transaction.ts';
import type { AppDeps } from '../../core/http/context.ts';
import { selectAreas } from './queries.ts';

type Deps = Pick<AppDeps, 'db' | 'clock'>;

export interface AreaSummary {
  id: string;
  name: string;
  population: number | null;
  postcodeDistricts: string[];
}

/** The programme's neighbourhoods. Not personal data, so any signed-in member of the programme may list them. */
export async function areasFor(deps: Deps, user: CurrentUser): Promise<AreaSummary[]> {
  const rows = await inTransaction(deps.db, { programmeId: user.programme.id, userId: user.id }, (tx) =>
    selectAreas(tx, user.programme.id),
  );
  return rows.map((r) => ({ id: r.id, name: r.name, population: r.population, postcodeDistricts: r.postcode_districts }));
}
