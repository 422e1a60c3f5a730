import { jobsOfQueue, type QueueName } from '@numbers/contracts';
import { WorkerWiringError, queuesOwnedBy, wiringProblems } from './wiring-check';

describe('wiringProblems', () => {
  const releaseHandler = { job: 'release-number', className: 'ReleaseNumberHandler' };
  /** One handler for each job of the queue (the registry grows; these tests must not care). */
  const handlersOf = (queue: QueueName) => jobsOfQueue(queue).map((job) => ({ job, className: `${job}Handler` }));
  const othersOf = (queue: QueueName, job: string) => handlersOf(queue).filter((h) => h.job !== job);

  it('accepts an app whose owned jobs each have one handler', () => {
    expect(wiringProblems('provisioning-worker', [...othersOf('provisioning', 'release-number'), releaseHandler])).toEqual([]);
    expect(wiringProblems('calling-worker', handlersOf('calling'))).toEqual([]);
  });

  it('names a job without a handler', () => {
    expect(wiringProblems('provisioning-worker', othersOf('provisioning', 'release-number'))).toEqual([
      `job "release-number" (queue provisioning) has no handler (@JobHandler('release-number'))`,
    ]);
  });

  it('names a job with two handlers', () => {
    const problems = wiringProblems(
      'provisioning-worker',
      [...othersOf('provisioning', 'release-number'), releaseHandler, { job: 'release-number', className: 'OtherReleaseHandler' }],
    );
    expect(problems).toEqual([
      'job "release-number" (queue provisioning) has 2 handlers: ReleaseNumberHandler, OtherReleaseHandler',
    ]);
  });

  it('points a missing webhook-event job at the module that handles it', () => {
    expect(wiringProblems('billing-worker', othersOf('billing', 'process-stripe-event'))).toEqual([
      `job "process-stripe-event" (queue billing) has no handler (import WebhookEventsModule.forWorker('billing-worker'))`,
    ]);
  });

  it('names a handler placed in the wrong app and a handler of an unknown job', () => {
    const problems = wiringProblems(
      'provisioning-worker',
      [...handlersOf('provisioning'), { job: 'sync-subscription-quantity', className: 'SyncHandler' }, { job: 'nope', className: 'NopeHandler' }],
    );
    expect(problems).toEqual([
      'SyncHandler handles job "sync-subscription-quantity" of queue billing, which billing-worker owns',
      'NopeHandler handles unknown job "nope"',
    ]);
  });

  it('knows which queues each app owns', () => {
    expect(queuesOwnedBy('provisioning-worker')).toEqual(['provisioning']);
    expect(queuesOwnedBy('billing-worker')).toEqual(['billing']);
    expect(queuesOwnedBy('calling-worker')).toEqual(['calling']);
  });

  it('formats the refusal with every problem', () => {
    const error = new WorkerWiringError('billing-worker', ['a', 'b']);
    expect(error.message).toBe('billing-worker refuses to boot:\n  - a\n  - b');
  });
});
