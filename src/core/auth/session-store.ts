import type { SessionStore } from '@fastify/session';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/database.ts';
import { inTransaction } from '../db/transaction.ts';
import { deleteSession, selectSession, upsertSession } from './queries.ts';

type Callback = (err?: unknown) => void;
type SessionData = Parameters<SessionStore['set']>[1];

const noScope = { programmeId: null, userId: null };

/**
 * Sessions live in the database, not in process memory, so any number of app processes can serve a person, and
 * disabling an account can end every one of its sessions at once (they carry the user id in a column).
 */
export class DatabaseSessionStore implements SessionStore {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly idleMs: number,
  ) {}

  get(sid: string, callback: (err: unknown, result?: SessionData | null) => void): void {
    inTransaction(this.db, noScope, (tx) => selectSession(tx, sid, this.clock.now())).then(
      (row) => {
        callback(null, (row?.data ?? null) as SessionData | null);
      },
      (err: unknown) => {
        callback(err);
      },
    );
  }

  set(sid: string, session: SessionData, callback: Callback): void {
    const { userId } = session as { userId?: unknown };
    const owner = typeof userId === 'string' ? userId : null;
    const expiresAt = new Date(this.clock.now().getTime() + this.idleMs);
    inTransaction(this.db, noScope, (tx) => upsertSession(tx, sid, owner, JSON.stringify(session), expiresAt)).then(
      () => {
        callback();
      },
      callback,
    );
  }

  destroy(sid: string, callback: Callback): void {
    inTransaction(this.db, noScope, (tx) => deleteSession(tx, sid)).then(() => {
      callback();
    }, callback);
  }
}
