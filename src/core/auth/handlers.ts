import type { FastifyReply, FastifyRequest } from 'fastify';
import { record } from '../audit/audit.ts';
import { inTransaction } from '../db/transaction.ts';
import { actorOf } from '../http/context.ts';
import { parseForm } from '../http/forms.ts';
import { render } from '../http/render.ts';
import { chooseProgrammeSchema, signInSchema } from './schemas.ts';
import { membershipsOf, signIn } from './service.ts';

const SIGN_IN = 'core/auth/views/sign-in.njk';
const PROGRAMMES = 'core/auth/views/programmes.njk';

export async function showSignIn(request: FastifyRequest, reply: FastifyReply) {
  if (request.user !== null) return reply.redirect('/', 303);
  return render(request, reply, SIGN_IN, { values: {} });
}

export async function signInHandler(request: FastifyRequest, reply: FastifyReply) {
  const form = parseForm(signInSchema, request.body);
  if (!form.ok) {
    // The password is never sent back to the browser.
    return render(request, reply, SIGN_IN, { errors: form.errors, values: { email: form.values.email } }, 400);
  }
  const { email, password } = form.data;
  const result = await signIn(request.server.deps, email, password, request.id);
  switch (result.kind) {
    case 'throttled':
      return render(
        request,
        reply,
        SIGN_IN,
        { errors: { email: 'There have been too many attempts to sign in with this email. Wait 15 minutes, then try again' }, values: { email } },
        429,
      );
    case 'refused':
      return render(request, reply, SIGN_IN, { errors: { email: 'Enter a correct email address and password' }, values: { email } }, 401);
    case 'signed-in': {
      if (result.memberships.length === 0) {
        return render(
          request,
          reply,
          SIGN_IN,
          { errors: { email: 'Your account is not part of any programme. Ask your programme admin to add you' }, values: { email } },
          403,
        );
      }
      // A new session id at sign-in: an id planted before sign-in (session fixation) is worthless afterwards.
      await request.session.regenerate();
      const now = request.server.deps.clock.now().getTime();
      request.session.userId = result.userId;
      request.session.signedInAt = now;
      request.session.lastSeenAt = now;
      const only = result.memberships.length === 1 ? result.memberships[0] : undefined;
      if (only !== undefined) request.session.programmeId = only.programmeId;
      return reply.redirect(only === undefined ? '/programmes' : '/', 303);
    }
  }
}

export async function signOut(request: FastifyRequest, reply: FastifyReply) {
  const userId = request.session.userId;
  if (userId !== undefined) {
    const { db, clock } = request.server.deps;
    await inTransaction(db, { programmeId: request.user?.programme.id ?? null, userId }, (tx) =>
      record(tx, actorOf(request, clock), { action: 'sign-out', recordType: 'user', recordId: userId }),
    );
  }
  await request.session.regenerate();
  // The page that says so must not still show them signed in.
  request.user = null;
  return render(request, reply, 'core/auth/views/signed-out.njk');
}

export async function showProgrammes(request: FastifyRequest, reply: FastifyReply) {
  const userId = request.session.userId;
  if (userId === undefined) return reply.redirect('/sign-in', 303);
  const memberships = await membershipsOf(request.server.deps.db, userId);
  return render(request, reply, PROGRAMMES, { memberships, values: { programmeId: request.session.programmeId } });
}

export async function chooseProgramme(request: FastifyRequest, reply: FastifyReply) {
  const userId = request.session.userId;
  if (userId === undefined) return reply.redirect('/sign-in', 303);
  const memberships = await membershipsOf(request.server.deps.db, userId);
  const form = parseForm(chooseProgrammeSchema, request.body);
  const chosen = form.ok ? memberships.find((m) => m.programmeId === form.data.programmeId) : undefined;
  if (chosen === undefined) {
    const errors = form.ok ? { programmeId: 'Select the programme you want to work in' } : form.errors;
    return render(request, reply, PROGRAMMES, { memberships, errors, values: form.ok ? {} : form.values }, 400);
  }
  request.session.programmeId = chosen.programmeId;
  return reply.redirect('/', 303);
}

