import type { FastifyInstance } from 'fastify';
import { requireAllowed } from '../../core/auth/guards.ts';
import {
  createArea,
  createUser,
  disableUserHandler,
  editArea,
  lookUpRecordAudit,
  enableUserHandler,
  newArea,
  newUser,
  showAdminHome,
  showAreas,
  showUser,
  showUsers,
  updateArea,
  updateUser,
} from './handlers.ts';

/** Running the programme: its neighbourhoods and its users. Admins only, on every route. */
export async function adminRoutes(app: FastifyInstance): Promise<void> {
  const preHandler = requireAllowed('programme.administer');
  app.get('/admin', { preHandler }, showAdminHome);
  app.get('/admin/record-audit', { preHandler }, lookUpRecordAudit);
  app.get('/admin/areas', { preHandler }, showAreas);
  app.get('/admin/areas/new', { preHandler }, newArea);
  app.post('/admin/areas', { preHandler }, createArea);
  app.get('/admin/areas/:id', { preHandler }, editArea);
  app.post('/admin/areas/:id', { preHandler }, updateArea);
  app.get('/admin/users', { preHandler }, showUsers);
  app.get('/admin/users/new', { preHandler }, newUser);
  app.post('/admin/users', { preHandler }, createUser);
  app.get('/admin/users/:id', { preHandler }, showUser);
  app.post('/admin/users/:id', { preHandler }, updateUser);
  app.post('/admin/users/:id/disable', { preHandler }, disableUserHandler);
  app.post('/admin/users/:id/enable', { preHandler }, enableUserHandler);
}
