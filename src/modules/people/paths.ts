import type { FastifyRequest } from 'fastify';
import { HttpError } from '../../core/http/context.ts';
import { personIdSchema } from './schemas.ts';

/**
 * Every page of a person's record answers alike when the person in its address is not there or not the user's to
 * see: the two must look the same.
 */
export const NO_PERSON = 'There is no person at this address that you can see.';

/** The person named in the address (/people/:id/...). */
export function personIdOf(request: FastifyRequest): string {
  const parsed = personIdSchema.safeParse(request.params);
  // Not even an id: nothing to look up, and nothing to tell apart from a person who is not there.
  if (!parsed.success) throw new HttpError(404, NO_PERSON);
  return parsed.data.id;
}

/** What a person-level read or write gave back, or the same 404 as a person who is not there. */
export function personFound<T>(value: T | undefined): T {
  if (value === undefined) throw new HttpError(404, NO_PERSON);
  return value;
}
