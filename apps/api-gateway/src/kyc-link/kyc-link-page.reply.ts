import type { FastifyReply } from 'fastify';
import type { KycPageAnswer } from './kyc-link-page';

/**
 * Sends a page answer: HTML with its status, or a 303 (the browser follows with a GET, so a
 * reload does not post the form again). The page loads nothing of ours but itself and sends no
 * Referer: its URL holds the token.
 */
export function sendKycPage(reply: FastifyReply, answer: KycPageAnswer): FastifyReply {
  reply
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; img-src https: data:; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'");
  if (answer.kind === 'redirect') return reply.status(303).header('location', answer.location).send();
  return reply.status(answer.status).header('content-type', 'text/html; charset=utf-8').send(answer.html);
}
