import type { FastifyInstance } from 'fastify';
import type { Role } from '../db/schema.ts';
import { requireSignedIn } from './guards.ts';
import { chooseProgramme, showProgrammes, showSignIn, signInHandler, signOut } from './handlers.ts';

export async function authRoutes(app: FastifyInstance): Promise<void> {
  app.get('/sign-in', showSignIn);
  app.post('/sign-in', signInHandler);
  app.post('/sign-out', signOut);
  app.get('/programmes', showProgrammes);
  app.post('/programmes', chooseProgramme);
  app.get('/', { preHandler: requireSignedIn }, async (request, reply) => reply.redirect(homeOf(request.user?.role), 303));
}

function homeOf(role: Role | undefined): string {
  switch (role) {
    case 'coordinator':
    case 'manager':
      return '/people';
    case 'admin':
      return '/admin';
    case 'leadership':
    case 'evaluator':
    case undefined:
      return '/overview';
  }
}
