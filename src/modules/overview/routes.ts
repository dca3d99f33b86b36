import type { FastifyInstance } from 'fastify';
import { requireSignedIn } from '../../core/auth/guards.ts';
import { signedInUser } from '../../core/http/context.ts';
import { render } from '../../core/http/render.ts';
import { areasFor } from '../admin/service.ts';

/**
 * The programme at a glance, for every role: its neighbourhoods and the people they are home to. Aggregate
 * figures about the people walked alongside arrive with the Leadership Group dashboard.
 */
export async function overviewRoutes(app: FastifyInstance): Promise<void> {
  app.get('/overview', { preHandler: requireSignedIn }, async (request, reply) => {
    const areas = await areasFor(app.deps, signedInUser(request));
    const population = areas.reduce((sum, a) => sum + (a.population ?? 0), 0);
    return render(request, reply, 'modules/overview/views/overview.njk', { areas, population });
  });
}
