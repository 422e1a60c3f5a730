// One trace from an API request to the provider call it causes, across processes: the gateway,
// the outbox row (its traceparent), the BullMQ job, the worker, and the worker's call to the
// carrier. The processes export to an OTLP/HTTP receiver in this test (the JSON encoding, which
// @opentelemetry/exporter-trace-otlp-http sends); their logs carry the same trace id.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Zernio from '@zernio/node';
import { sql } from 'kysely';
import { createTestAccountWithKey, eventually } from '@numbers/test-support';
import { startSystem, type System } from './support/system';

interface OtlpValue { stringValue?: string; intValue?: string | number }
interface OtlpAttribute { key: string; value: OtlpValue }
interface OtlpSpan { traceId: string; spanId: string; parentSpanId?: string; name: string; kind: number; attributes?: OtlpAttribute[] }
interface OtlpExport { resourceSpans: { resource: { attributes: OtlpAttribute[] }; scopeSpans: { spans: OtlpSpan[] }[] }[] }

/** A span as received, with the service that sent it and its string attributes. */
interface Received { service: string; span: OtlpSpan; attributes: Record<string, string> }

// OTLP's span kinds (SpanKind + 1 on the wire).
const SERVER = 2;
const CLIENT = 3;
const CONSUMER = 5;

const received: Received[] = [];

function attributesOf(list: OtlpAttribute[] = []): Record<string, string> {
  return Object.fromEntries(list.map((a) => [a.key, String(a.value.stringValue ?? a.value.intValue ?? '')]));
}

/** A stand-in for an OpenTelemetry collector: keeps every span exported to it. */
function startReceiver(): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.url === '/v1/traces' && req.headers['content-type']?.includes('json')) {
        const body = JSON.parse(Buffer.concat(chunks).toString()) as OtlpExport;
        for (const { resource, scopeSpans } of body.resourceSpans) {
          const service = attributesOf(resource.attributes)['service.name'];
          for (const { spans } of scopeSpans) for (const span of spans) received.push({ service, span, attributes: attributesOf(span.attributes) });
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

let receiver: http.Server;
let system: System;

beforeAll(async () => {
  receiver = await startReceiver();
  const { port } = receiver.address() as AddressInfo;
  system = await startSystem({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`, OTEL_BSP_SCHEDULE_DELAY: '100' }, { readyTimeoutMs: 120_000 });
}, 300_000);

afterAll(async () => {
  await system?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
});

it('follows a purchase from the API request through the outbox, the job and the worker to the carrier, in one trace', async () => {
  const { db, sim, baseUrl } = system;
  const acme = await createTestAccountWithKey(db, { name: 'Acme', planCode: 'growth' });
  const z = new Zernio({ apiKey: acme.apiKey, baseURL: baseUrl });
  // A first number through Checkout, so that the account has a subscription ...
  await z.whatsappphonenumbers.purchaseWhatsAppPhoneNumber({ body: { profileId: acme.profileId } });
  const first = await db.selectFrom('phoneNumbers').selectAll().where('accountId', '=', acme.accountId).executeTakeFirstOrThrow();
  await sim.post(`/_sim/stripe/checkout/${first.stripeCheckoutSessionId}/pay`, {});
  await eventually('first number active', async () => (await db.selectFrom('phoneNumbers').select('status').where('id', '=', first.id).executeTakeFirstOrThrow()).status === 'active');

  // ... and a second one paid on it at once: the request writes the number and its order-number job.
  const bought = (await z.whatsappphonenumbers.purchaseWhatsAppPhoneNumber({ body: { profileId: acme.profileId, allowMultiple: true } })).data as { phoneNumber?: { id: string } };
  const secondId = bought.phoneNumber?.id ?? '';
  const outboxRow = await db.selectFrom('outbox').select(['id', 'traceparent']).where('name', '=', 'order-number').where(sql<boolean>`payload->>'numberId' = ${secondId}`).executeTakeFirstOrThrow();
  const [, traceId, parentSpanId] = (outboxRow.traceparent ?? '').split('-');
  expect(traceId).toMatch(/^[0-9a-f]{32}$/);

  // A span is exported once it ends: the job's after the carrier's call it made.
  const trace = await eventually('the job and its carrier order in the request trace', async () => {
    const spans = received.filter((r) => r.span.traceId === traceId);
    const order = spans.some((r) => r.service === 'provisioning-worker' && r.span.kind === CLIENT && Object.values(r.attributes).some((v) => v.includes('/number_orders')));
    const job = spans.some((r) => r.service === 'provisioning-worker' && r.span.kind === CONSUMER);
    return order && job ? spans : null;
  });
  const request = trace.find((r) => r.service === 'api-gateway' && r.span.kind === SERVER);
  expect(request?.attributes['http.request.method'] ?? request?.attributes['http.method']).toBe('POST');
  expect(Object.values(request?.attributes ?? {}).some((v) => v.includes('/v1/whatsapp/phone-numbers/purchase'))).toBe(true);
  // The outbox row was written under a span of the request.
  expect(trace.some((r) => r.service === 'api-gateway' && r.span.spanId === parentSpanId)).toBe(true);
  // The job ran in the provisioning worker as a child of that span.
  const job = trace.find((r) => r.service === 'provisioning-worker' && r.span.kind === CONSUMER);
  expect(job?.span).toMatchObject({ name: 'process provisioning', parentSpanId });
  expect(job?.attributes['bullmq.job.id']).toBe(`order-number.${outboxRow.id}`);

  // The worker's log lines of the job carry its trace id, job id and number id.
  const logged = system.provisioning.logs().split('\n').filter((line) => line.includes('"job":"order-number"') && line.includes(secondId));
  expect(logged.length).toBeGreaterThan(0);
  for (const line of logged) expect(line).toContain(`"traceId":"${traceId}"`);
}, 180_000);
