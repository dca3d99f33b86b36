import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { record } from '../audit/audit.ts';
import { inTransaction } from '../db/transaction.ts';
import { actorOf, HttpError } from '../http/context.ts';
import { can, type Action } from './can.ts';

/** Sends anyone not signed in to the sign-in page, and anyone signed in but between programmes to choose one. */
export async function requireSignedIn(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  if (request.user !== null) return undefined;
  return reply.redirect(request.session.userId === undefined ? '/sign-in' : '/programmes', 303);
}

/**
 * A route-level guard: the user's role must allow the action at all. Object-level checks (this person, this
 * area) happen in the service, which knows the record. A refusal is audited.
 */
export function requireAllowed(action: Action): preHandlerAsyncHookHandler {
  return async function allowed(request, reply) {
    const user = request.user;
    if (user === null) return requireSignedIn(request, reply);
    if (can(user, action)) return undefined;
    const { db, clock } = request.server.deps;
    await inTransaction(db, { programmeId: user.programme.id, userId: user.id }, (tx) =>
      record(tx, actorOf(request, clock), { action, outcome: 'denied', detail: { route: request.routeOptions.url } }),
    );
    throw new HttpError(403, 'You do not have permission to see this page');
  };
}
