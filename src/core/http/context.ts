import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../audit/audit.ts';
import type { CurrentUser } from '../auth/can.ts';
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';

/** What every module is given: the database, the clock and the configuration. Nothing else is global. */
export interface AppDeps {
  db: Db;
  clock: Clock;
  config: Config;
  engine: 'pglite' | 'postgres';
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDeps;
    routeList: readonly { method: string; url: string }[];
  }
  interface FastifyRequest {
    /** Null until signed in and working in a programme. */
    user: CurrentUser | null;
  }
}

declare module '@fastify/session' {
  interface FastifySessionObject {
    userId?: string;
    programmeId?: string;
    /** Epoch milliseconds, from the app's clock. */
    signedInAt?: number;
    lastSeenAt?: number;
  }
}

/** An error whose message is safe and useful to show the person, with the status to send. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: 400 | 403 | 404 | 409 | 413 | 415 | 429,
    message: string,
  ) {
    super(message);
  }
}

export function signedInUser(request: FastifyRequest): CurrentUser {
  if (request.user === null) throw new HttpError(403, 'You need to sign in to see this page');
  return request.user;
}

export function actorOf(request: FastifyRequest, clock: Clock): Actor {
  return {
    userId: request.user?.id ?? request.session.userId ?? null,
    programmeId: request.user?.programme.id ?? null,
    requestId: request.id,
    at: clock.now(),
  };
}

/** Post/Redirect/Get: after a successful form, send the browser to a page it can safely reload. */
export function seeOther(reply: FastifyReply, location: string): FastifyReply {
  return reply.redirect(location, 303);
}
