import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Renders a page with what the layout needs: the signed-in user and programme, the CSP nonce for inline
 * script and style, and a CSRF token for any form on the page.
 */
export async function render(
  request: FastifyRequest,
  reply: FastifyReply,
  template: string,
  data: Record<string, unknown> = {},
  statusCode = 200,
): Promise<FastifyReply> {
  const html = await renderPage(request, reply, template, data);
  // Pages carry personal data or a CSRF token: never keep them in a shared or browser cache.
  reply.header('Cache-Control', 'no-store');
  return reply.code(statusCode).type('text/html; charset=utf-8').send(html);
}

/** The page as HTML, not sent: for a page that is turned into something else (a PDF) before it leaves. */
export async function renderPage(request: FastifyRequest, reply: FastifyReply, template: string, data: Record<string, unknown> = {}): Promise<string> {
  // No session only on the error page of a failed request (see errors.ts): then there is no form to protect.
  const csrfToken = (request.session as typeof request.session | null) === null ? undefined : reply.generateCsrf();
  return reply.viewAsync(template, {
    ...data,
    user: request.user,
    cspNonce: reply.cspNonce.script,
    styleNonce: reply.cspNonce.style,
    csrfToken,
    currentPath: request.url.split('?')[0],
  });
}
