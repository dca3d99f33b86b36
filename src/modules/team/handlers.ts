import type { FastifyReply, FastifyRequest } from 'fastify';
import { signedInUser } from '../../core/http/context.ts';
import { formValues, parseForm } from '../../core/http/forms.ts';
import { render } from '../../core/http/render.ts';
import { STATUS_LABELS } from '../people/service.ts';
import { noContactSchema } from './schemas.ts';
import { REVIEW_WINDOW_DAYS, getTeamPage } from './service.ts';

/** The manager's view of the team. The weeks to look back over come from the query string. */
export async function showTeam(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const form = parseForm(noContactSchema, request.query);
  const page = await getTeamPage(request.server.deps, user, form, request.id);
  const values = { weeks: String(page.weeks ?? ''), ...formValues(request.query) };
  return render(
    request,
    reply,
    'modules/team/views/team.njk',
    { ...page, values, statusLabels: STATUS_LABELS, reviewWindowDays: REVIEW_WINDOW_DAYS },
    page.errors === undefined ? 200 : 400,
  );
}
