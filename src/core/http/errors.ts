import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from './context.ts';
import { BadFormBody } from './forms.ts';
import { render } from './render.ts';

const TITLES: Record<number, string> = {
  400: 'There is a problem with what was sent',
  403: 'You do not have permission to see this page',
  404: 'Page not found',
  409: 'This record has changed',
  413: 'What was sent is too large',
  415: 'What was sent could not be read',
  429: 'Too many requests',
  500: 'Sorry, there is a problem with the service',
};

/** Messages for Fastify's own errors, written for people. Anything else unexpected is a 500 with no detail. */
function explain(error: FastifyError): { status: number; message: string } {
  if (error instanceof HttpError || error instanceof BadFormBody) return { status: error.statusCode, message: error.message };
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, message: 'The form was too large to send. Shorten the longest answers and try again.' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, message: 'The form was sent in a format the service does not accept.' };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, message: 'The form could not be read. Go back and try again.' };
    case 'FST_CSRF_INVALID_TOKEN':
    case 'FST_CSRF_MISSING_SECRET':
      return {
        status: 403,
        message: 'This form has expired or was not sent from this service. Go back, reload the page and try again: nothing was saved.',
      };
    default:
      if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
        return { status: error.statusCode, message: TITLES[error.statusCode] ?? 'The request could not be completed.' };
      }
      return { status: 500, message: 'Try again later. Nothing you sent has been lost if you go back.' };
  }
}

async function showError(request: FastifyRequest, reply: FastifyReply, status: number, message: string) {
  const title = TITLES[status] ?? 'There is a problem';
  const wantsJson = request.url.startsWith('/api/') || request.headers.accept === 'application/json';
  if (wantsJson) return reply.code(status).send({ error: title, message });
  try {
    return await render(request, reply, 'errors/error.njk', { title, message, status }, status);
  } catch (renderError) {
    // Even a broken template must not show a stack trace.
    request.log.error({ err: renderError }, 'error page failed to render');
    return reply.code(status).type('text/plain; charset=utf-8').send(`${title}\n\n${message}\n`);
  }
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setNotFoundHandler(async (request, reply) =>
    showError(request, reply, 404, 'If you typed the web address, check it is correct. If you pasted it, check you copied all of it.'),
  );
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    const { status, message } = explain(error);
    if (status >= 500) {
      request.log.error({ err: error }, 'unexpected error');
      // The failure may be the session store itself (the database is down): the error page must not depend on
      // saving the session, and a half-finished request should not persist session changes anyway.
      Reflect.set(request, 'session', null);
    } else {
      request.log.info({ code: error.code, status }, 'request refused');
    }
    return showError(request, reply, status, message);
  });
}
