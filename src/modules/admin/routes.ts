import type { FastifyInstance } from 'fastify';
import { requireAllowed } from '../../core/auth/guards.ts';
import { signedInUser } from '../../core/http/context.ts';
import { render } from '../../core/http/render.ts';
import { areasFor } from './service.ts';

export async function adminRoutes(app: FastifyInstance): Promise<void> {
  app.get('/admin', { preHandler: requireAllowed('programme.administer') }, async (request, reply) => {
    const areas = await areasFor(app.deps, signedInUser(request));
    return render(request, reply, 'modules/admin/views/index.njk', { areas });
  });
}
