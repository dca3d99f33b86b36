import type { FastifyInstance } from 'fastify';
import { ping } from '../db/database.ts';
import { currentMigration } from '../db/migrate.ts';

/** For load balancers and monitoring: is the database reachable, and which migration is it on. */
export async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get('/health', async (_request, reply) => {
    const { db, engine } = app.deps;
    try {
      await ping(db);
      const migration = await currentMigration(db);
      return await reply.header('Cache-Control', 'no-store').send({ status: 'ok', database: { engine, status: 'up', migration } });
    } catch {
      return reply.code(503).header('Cache-Control', 'no-store').send({ status: 'error', database: { engine, status: 'down' } });
    }
  });
}
