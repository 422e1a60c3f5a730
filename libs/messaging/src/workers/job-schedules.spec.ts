import { JOB_RETENTION, JOBS, SCHEDULED_JOB_NAMES, WORKER_APPS } from '@numbers/contracts';
import { schedulesOf } from './job-schedules';

const intervals = {
  'reconcile-pending-checkouts': 60_000,
  'resume-stalled-provisioning': 250,
  'reconcile-subscription-quantities': 300_000,
  'prune-webhook-logs': 3_600_000,
  'sweep-stock-watches': 300_000,
  'resume-stalled-billing': 60_000,
  'resume-stalled-calling': 60_000,
  'redrive-failed-jobs': 60_000,
  'recover-lost-jobs': 30_000,
  'erase-expired-kyc': 3_600_000,
  'prune-records': 3_600_000,
};

describe('schedulesOf', () => {
  it('gives each worker app one scheduler per scheduled job of the queues it owns, with a fixed id', () => {
    expect(schedulesOf('billing-worker', intervals)).toEqual([
      {
        id: 'reconcile-pending-checkouts',
        queue: 'billing',
        every: 60_000,
        template: { name: 'reconcile-pending-checkouts', data: {}, opts: { ...JOBS['reconcile-pending-checkouts'].options, ...JOB_RETENTION } },
      },
      {
        id: 'reconcile-subscription-quantities',
        queue: 'billing',
        every: 300_000,
        template: {
          name: 'reconcile-subscription-quantities',
          data: {},
          opts: { ...JOBS['reconcile-subscription-quantities'].options, ...JOB_RETENTION },
        },
      },
      {
        id: 'resume-stalled-billing',
        queue: 'billing',
        every: 60_000,
        template: { name: 'resume-stalled-billing', data: {}, opts: { ...JOBS['resume-stalled-billing'].options, ...JOB_RETENTION } },
      },
    ]);
    expect(schedulesOf('provisioning-worker', intervals).map((s) => [s.id, s.queue, s.every])).toEqual([
      ['resume-stalled-provisioning', 'provisioning', 250],
      ['sweep-stock-watches', 'provisioning', 300_000],
      ['redrive-failed-jobs', 'provisioning', 60_000],
      ['recover-lost-jobs', 'provisioning', 30_000],
      ['erase-expired-kyc', 'provisioning', 3_600_000],
      ['prune-records', 'provisioning', 3_600_000],
    ]);
    expect(schedulesOf('calling-worker', intervals).map((s) => [s.id, s.queue, s.every])).toEqual([['resume-stalled-calling', 'calling', 60_000]]);
    expect(schedulesOf('delivery-worker', intervals).map((s) => [s.id, s.queue, s.every])).toEqual([['prune-webhook-logs', 'deliveries', 3_600_000]]);
  });

  it('schedules every scheduled job exactly once across the apps, each run not retried (the next tick is its retry)', () => {
    const all = WORKER_APPS.flatMap((app) => schedulesOf(app, intervals));
    expect(all.map((s) => s.id).sort()).toEqual([...SCHEDULED_JOB_NAMES].sort());
    for (const schedule of all) {
      expect(schedule.template.opts.attempts).toBe(1);
      expect(schedule.template.opts.removeOnComplete).toEqual(JOB_RETENTION.removeOnComplete);
    }
  });
});
