import http from 'node:http';
import https from 'node:https';

/** Statuses whose response has no body (a `Response` refuses one, even empty). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * `fetch` for the provider clients, over node:http(s) and its keep-alive agents: the same request,
 * answered with a standard `Response` once the whole body has arrived. The global fetch (undici)
 * costs several times the CPU per exchange here (a small JSON POST between two Node processes:
 * 0.66-0.99 ms of the client's CPU against 0.15-0.28 ms; docs/performance.md), and the workers
 * make eight provider calls per number. Like the global fetch it rejects with the signal's reason
 * when aborted and with a TypeError when the network fails. Unlike it, it follows no redirect (the
 * providers' APIs answer without) and asks for no compression. A body other than a string or
 * bytes (a form, a stream: uploads) goes through the global fetch.
 */
export const keepAliveFetch: typeof fetch = (input, init = {}) => {
  const body = init.body;
  const bytes = typeof body === 'string' ? Buffer.from(body) : body instanceof Uint8Array ? body : body instanceof ArrayBuffer ? new Uint8Array(body) : body == null ? null : undefined;
  if (bytes === undefined || input instanceof Request) return fetch(input, init);
  const url = input instanceof URL ? input : new URL(input);
  const { signal } = init;
  if (signal?.aborted) return Promise.reject(signal.reason);
  const headers: Record<string, string> = {};
  new Headers(init.headers).forEach((value, name) => (headers[name] = value));
  delete headers['accept-encoding'];
  if (bytes) headers['content-length'] = String(bytes.byteLength);

  return new Promise<Response>((resolve, reject) => {
    // Node's default agents keep connections alive between calls (Node 19 and later).
    const request = (url.protocol === 'https:' ? https : http).request(url, { method: init.method ?? 'GET', headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', (error) => fail(new TypeError('fetch failed', { cause: error })));
      response.on('end', () => {
        signal?.removeEventListener('abort', abort);
        const status = response.statusCode ?? 0;
        const answerHeaders = new Headers();
        for (let i = 0; i < response.rawHeaders.length; i += 2) answerHeaders.append(response.rawHeaders[i], response.rawHeaders[i + 1]);
        resolve(new Response(NULL_BODY_STATUSES.has(status) ? null : Buffer.concat(chunks), { status, statusText: response.statusMessage, headers: answerHeaders }));
      });
    });
    const fail = (error: unknown) => {
      signal?.removeEventListener('abort', abort);
      request.destroy();
      reject(error);
    };
    const abort = () => fail(signal?.reason);
    signal?.addEventListener('abort', abort, { once: true });
    request.on('error', (error) => fail(new TypeError('fetch failed', { cause: error })));
    request.end(bytes ?? undefined);
  });
};
