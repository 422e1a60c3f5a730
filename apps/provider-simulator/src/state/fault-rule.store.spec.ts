import { FaultRuleStore, type FaultTarget } from './fault-rule.store';

const target = (overrides: Partial<FaultTarget> = {}): FaultTarget => ({
  provider: 'stripe',
  method: 'POST',
  route: '/v1/subscriptions/:id',
  path: '/v1/subscriptions/sub_1',
  ...overrides,
});

describe('FaultRuleStore', () => {
  it('applies a fault to the next `times` matching calls, then disarms it', () => {
    const faults = new FaultRuleStore();
    faults.add({ provider: 'stripe', method: 'post', path: '/v1/subscriptions/:id', action: 'fail', status: 503, times: 2 });

    expect(faults.take(target())).toMatchObject({ action: 'fail', status: 503, remaining: 1 });
    expect(faults.take(target())).toMatchObject({ remaining: 0 });
    expect(faults.take(target())).toBeNull();
    expect(faults.list()).toEqual([]);
  });

  it('matches by route pattern, exact path or *, and only its provider and method', () => {
    const faults = new FaultRuleStore();
    faults.add({ provider: 'stripe', method: 'POST', path: '/v1/subscriptions/sub_2', action: 'fail' });
    faults.add({ provider: 'telnyx', method: '*', path: '*', action: 'delay', delayMs: 5 });

    expect(faults.take(target())).toBeNull(); // other exact path
    expect(faults.take(target({ method: 'GET', path: '/v1/subscriptions/sub_2' }))).toBeNull(); // other method
    expect(faults.take(target({ path: '/v1/subscriptions/sub_2' }))).toMatchObject({ action: 'fail', status: 500 });
    expect(faults.take(target({ provider: 'meta' }))).toBeNull();
    expect(faults.take(target({ provider: 'telnyx', method: 'DELETE', route: null, path: '/v2/x' }))).toMatchObject({
      action: 'delay',
      delayMs: 5,
    });
  });

  it('applies the oldest matching fault first and clears all', () => {
    const faults = new FaultRuleStore();
    faults.add({ provider: 'stripe', method: '*', path: '*', action: 'fail', status: 502 });
    faults.add({ provider: 'stripe', method: '*', path: '*', action: 'fail', status: 503 });
    expect(faults.take(target())?.status).toBe(502);
    faults.clear();
    expect(faults.take(target())).toBeNull();
  });
});
