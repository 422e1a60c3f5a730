import { WorkerWiringError, queuesOwnedBy, wiringProblems } from './wiring-check';

describe('wiringProblems', () => {
  const provisioningProcessor = { queue: 'provisioning', className: 'ProvisioningProcessor' };
  const releaseHandler = { job: 'release-number', className: 'ReleaseNumberHandler' };

  it('accepts an app whose owned jobs each have one handler', () => {
    expect(wiringProblems('provisioning-worker', [releaseHandler], [provisioningProcessor])).toEqual([]);
  });

  it('accepts a queue that has no jobs yet, as long as it has its processor', () => {
    expect(wiringProblems('calling-worker', [], [{ queue: 'calling', className: 'CallingProcessor' }])).toEqual([]);
  });

  it('names a job without a handler', () => {
    expect(wiringProblems('provisioning-worker', [], [provisioningProcessor])).toEqual([
      `job "release-number" (queue provisioning) has no handler (@JobHandler('release-number'))`,
    ]);
  });

  it('names a job with two handlers', () => {
    const problems = wiringProblems(
      'provisioning-worker',
      [releaseHandler, { job: 'release-number', className: 'OtherReleaseHandler' }],
      [provisioningProcessor],
    );
    expect(problems).toEqual([
      'job "release-number" (queue provisioning) has 2 handlers: ReleaseNumberHandler, OtherReleaseHandler',
    ]);
  });

  it('names a queue without its processor, and a processor of another app\'s queue', () => {
    const problems = wiringProblems('provisioning-worker', [releaseHandler], [{ queue: 'billing', className: 'BillingProcessor' }]);
    expect(problems).toEqual([
      `queue "provisioning" has no processor (@QueueProcessor('provisioning'))`,
      'BillingProcessor processes queue "billing", which billing-worker owns',
    ]);
  });

  it('names a handler placed in the wrong app and a handler of an unknown job', () => {
    const problems = wiringProblems(
      'provisioning-worker',
      [releaseHandler, { job: 'sync-subscription-quantity', className: 'SyncHandler' }, { job: 'nope', className: 'NopeHandler' }],
      [provisioningProcessor],
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
