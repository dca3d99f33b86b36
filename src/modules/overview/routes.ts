import type { FastifyInstance } from 'fastify';
import { requireSignedIn } from '../../core/auth/guards.ts';
import { signedInUser } from '../../core/http/context.ts';
import { can } from '../../core/auth/can.ts';
import { render } from '../../core/http/render.ts';
import { areasFor } from '../admin/service.ts';
import { showDashboard } from '../dashboard/handlers.ts';

/**
 * The programme at a glance, for every role: its neighbourhoods and the people they are home to. Those who read the
 * programme's figures (the Leadership Group, evaluators and managers) see the dashboard here as well.
 */
export async function overviewRoutes(app: FastifyInstance): Promise<void> {
  app.get('/overview', { preHandler: requireSignedIn }, async (request, reply) => {
    const user = signedInUser(request);
    if (can(user, 'programme.dashboard')) return showDashboard(request, reply);
    const areas = await areasFor(app.deps, user);
    const population = areas.reduce((sum, a) => sum + (a.population ?? 0), 0);
    return render(request, reply, 'modules/overview/views/overview.njk', { areas, population });
  });
}
