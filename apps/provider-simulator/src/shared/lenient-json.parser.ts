import type { FastifyInstance } from 'fastify';

/**
 * JSON bodies where an empty body means `{}`: Graph accepts `POST …/deregister` with
 * `Content-Type: application/json` and nothing else, which Fastify would reject.
 */
export function useLenientJsonParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, {});
    try {
      done(null, JSON.parse(text));
    } catch {
      const error = Object.assign(new Error('Body is not valid JSON'), { statusCode: 400 });
      done(error, undefined);
    }
  });
}
