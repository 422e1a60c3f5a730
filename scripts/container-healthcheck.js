// The image's HEALTHCHECK (Dockerfile): healthy when HEALTHCHECK_URL answers 2xx within 3 s. The
// gateway's default is its own /health (503 while it drains on SIGTERM); a process without an HTTP
// health endpoint sets no URL and is healthy while it runs (it is PID 1: when it dies, so does the
// container). Plain JavaScript: the production image has no TypeScript tooling.
const GATEWAY_HEALTH = `http://127.0.0.1:${process.env.GATEWAY_PORT || 3000}/health`;
const url = process.env.HEALTHCHECK_URL || (process.env.APP === 'api-gateway' ? GATEWAY_HEALTH : '');

if (!url) process.exit(0);
fetch(url, { signal: AbortSignal.timeout(3000) }).then(
  (response) => process.exit(response.ok ? 0 : 1),
  () => process.exit(1),
);
