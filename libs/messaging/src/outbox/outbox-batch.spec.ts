import { JOB_REQUEST_ID_KEY, JOB_RETENTION, JOBS } from '@numbers/contracts';
import { planBatch, type OutboxRow } from './outbox-batch';

/** Rows written with tracing off. */
const untraced = (rows: Omit<OutboxRow, 'traceparent' | 'requestId'>[]): OutboxRow[] => rows.map((row) => ({ ...row, traceparent: null, requestId: null }));

describe('planBatch', () => {
  it('turns job rows into bulk jobs with a deterministic id, the job policy and retention', () => {
    const plan = planBatch(untraced([
      { id: 7n, kind: 'job', name: 'release-number', payload: { numberId: 'n1' } },
      { id: 8n, kind: 'job', name: 'sync-subscription-quantity', payload: { accountId: 'a1', cause: 'c' } },
      { id: 9n, kind: 'event', name: 'number.status_changed', payload: { numberId: 'n1' } },
    ]), 10);
    expect(plan.jobsByQueue.get('provisioning')).toEqual([
      {
        name: 'release-number',
        data: { numberId: 'n1' },
        opts: { ...JOBS['release-number'].options, ...JOB_RETENTION, jobId: 'release-number.7' },
      },
    ]);
    expect(plan.jobsByQueue.get('billing')?.[0].opts.jobId).toBe('sync-subscription-quantity.8');
    expect(plan.events).toEqual([{ id: 9n, name: 'number.status_changed', payload: { numberId: 'n1' } }]);
    expect(plan.publishable).toEqual([7n, 8n, 9n]);
    expect(plan.unknown).toEqual([]);
  });

  it('gives every job on the provider-call policy the configured attempts (PROVIDER_CALL_ATTEMPTS), and no other', () => {
    const plan = planBatch(untraced([
      { id: 1n, kind: 'job', name: 'start-billing', payload: { numberId: 'n1' } },
      { id: 2n, kind: 'job', name: 'sync-subscription-quantity', payload: { accountId: 'a1', cause: 'c' } },
      { id: 3n, kind: 'job', name: 'deliver-webhook', payload: { eventId: 'e', webhookId: 'w' } },
    ]), 3);
    expect(plan.jobsByQueue.get('billing')?.map((j) => j.opts.attempts)).toEqual([3, 3]);
    expect(plan.jobsByQueue.get('deliveries')?.[0].opts.attempts).toBe(JOBS['deliver-webhook'].options.attempts);
  });

  it('leaves rows it cannot read unpublished, with the reason', () => {
    const plan = planBatch(untraced([
      { id: 1n, kind: 'job', name: 'from-a-newer-release', payload: {} },
      { id: 2n, kind: 'event', name: 'number.renamed', payload: {} },
    ]), 10);
    expect(plan.publishable).toEqual([]);
    expect(plan.unknown).toEqual([
      { id: 1n, reason: 'unknown job "from-a-newer-release"' },
      { id: 2n, reason: 'unknown event "number.renamed"' },
    ]);
  });

  it("carries the trace a row was written in to its job, as BullMQ's telemetry metadata", () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const plan = planBatch([
      { id: 1n, kind: 'job', name: 'release-number', payload: { numberId: 'n1' }, traceparent, requestId: null },
      { id: 2n, kind: 'job', name: 'order-number', payload: { numberId: 'n2' }, traceparent: null, requestId: null },
    ], 10);
    const [traced, untracedJob] = plan.jobsByQueue.get('provisioning') ?? [];
    expect(JSON.parse(traced.opts.telemetry?.metadata ?? '{}')).toEqual({ traceparent });
    expect(untracedJob.opts).not.toHaveProperty('telemetry');
  });

  it('carries the request a row descends from in its job data, beside the payload; a row of no request keeps its payload as it is', () => {
    const plan = planBatch([
      { id: 1n, kind: 'job', name: 'release-number', payload: { numberId: 'n1' }, traceparent: null, requestId: 'req-7' },
      { id: 2n, kind: 'job', name: 'order-number', payload: { numberId: 'n2' }, traceparent: null, requestId: null },
    ], 10);
    const [fromRequest, fromSweep] = plan.jobsByQueue.get('provisioning') ?? [];
    expect(fromRequest.data).toEqual({ numberId: 'n1', [JOB_REQUEST_ID_KEY]: 'req-7' });
    expect(fromSweep.data).toEqual({ numberId: 'n2' });
  });
});
