import http from 'node:http';

/** The load balancer in front of the gateways, for the providers' webhooks: one address, any gateway that answers. */
export interface WebhookBalancer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Forwards each request to the next gateway in turn; a gateway that refuses the connection (killed,
 * restarting) is skipped for the other, as a load balancer's health check would. The body is
 * buffered: webhooks are small.
 */
export function startWebhookBalancer(port: number, targets: () => string[]): Promise<WebhookBalancer> {
  let next = 0;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const order = targets();
      const first = next++ % order.length;
      const attempt = (tried: number): void => {
        if (tried >= order.length) {
          response.writeHead(502).end();
          return;
        }
        const target = new URL(request.url ?? '/', order[(first + tried) % order.length]);
        const upstream = http.request(target, { method: request.method, headers: { ...request.headers, host: target.host } }, (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
        });
        upstream.on('error', () => {
          if (!response.headersSent) attempt(tried + 1);
          else response.destroy();
        });
        upstream.end(body);
      };
      attempt(0);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () =>
      resolve({
        port,
        close: () => new Promise<void>((done) => server.close(() => done())),
      }),
    );
  });
}
