import { applyCallEvent, callEndReason, CALL_STATE_LOST, stalledCallEvent, type CallEvent, type CallFacts } from './call-state';

const t0 = new Date('2026-03-10T12:00:00.000Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const dialing: CallFacts = { status: 'dialing', answeredAt: null, endedAt: null, hangupCause: null, durationSeconds: null };

const initiated: CallEvent = { type: 'initiated', at: at(0) };
const answered: CallEvent = { type: 'answered', at: at(3) };
const hangup: CallEvent = { type: 'hangup', at: at(45), cause: 'normal_clearing' };

function run(events: CallEvent[], from: CallFacts = dialing): CallFacts {
  return events.reduce((facts, event) => applyCallEvent(facts, event).facts, from);
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

describe('applyCallEvent', () => {
  it('follows ringing, answered, ended with the duration from answer to hang-up', () => {
    const ringing = applyCallEvent(dialing, initiated);
    expect(ringing).toMatchObject({ changed: true, connected: false, facts: { status: 'ringing' } });
    const up = applyCallEvent(ringing.facts, answered);
    expect(up).toMatchObject({ changed: true, connected: true, facts: { status: 'answered', answeredAt: at(3) } });
    expect(applyCallEvent(up.facts, hangup).facts).toEqual({ status: 'ended', answeredAt: at(3), endedAt: at(45), hangupCause: 'normal_clearing', durationSeconds: 42 });
  });

  it('ends in the same state whatever the order, and every event seen again changes nothing', () => {
    const expected = run([initiated, answered, hangup]);
    for (const order of permutations([initiated, answered, hangup])) {
      const facts = run([...order, ...order, ...order]);
      expect({ order: order.map((e) => e.type), facts }).toEqual({ order: order.map((e) => e.type), facts: expected });
      for (const event of order) expect(applyCallEvent(facts, event).changed).toBe(false);
    }
  });

  it('never moves a call back: a late initiated or answered leaves an ended call ended', () => {
    const ended = run([initiated, answered, hangup]);
    expect(applyCallEvent(ended, initiated)).toMatchObject({ changed: false, facts: ended });
    expect(applyCallEvent(ended, answered)).toMatchObject({ changed: false, facts: ended });
    expect(applyCallEvent(ended, { type: 'hangup', at: at(99), cause: 'user_busy' })).toMatchObject({ changed: false, facts: ended });
  });

  it('fails a call that was never answered, with the cause; a late answer proves it connected', () => {
    const busy = run([initiated, { type: 'hangup', at: at(2), cause: 'user_busy' }]);
    expect(busy).toEqual({ status: 'failed', answeredAt: null, endedAt: at(2), hangupCause: 'user_busy', durationSeconds: 0 });
    expect(callEndReason(busy)).toBe('rejected');
    const late = applyCallEvent(run([{ type: 'hangup', at: at(10), cause: 'originator_cancel' }]), { type: 'answered', at: at(4) });
    expect(late).toMatchObject({ connected: true, facts: { status: 'ended', durationSeconds: 6 } });
  });

  it('fails a call the carrier would not place, only while it is dialing', () => {
    expect(run([{ type: 'dial_failed', at: at(0), cause: 'dial_rejected' }])).toMatchObject({ status: 'failed', hangupCause: 'dial_rejected' });
    expect(applyCallEvent(run([initiated]), { type: 'dial_failed', at: at(1), cause: 'x' }).changed).toBe(false);
  });

  it('names the end reason the SDK shows', () => {
    expect(callEndReason({ status: 'answered', hangupCause: null })).toBeNull();
    expect(callEndReason({ status: 'ended', hangupCause: 'normal_clearing' })).toBe('hangup');
    expect(callEndReason({ status: 'failed', hangupCause: 'no_answer' })).toBe('no_answer');
    expect(callEndReason({ status: 'failed', hangupCause: 'call_rejected' })).toBe('rejected');
    expect(callEndReason({ status: 'failed', hangupCause: 'unspecified' })).toBe('error');
  });
});

describe('stalledCallEvent', () => {
  const at = new Date('2026-12-07T04:00:00Z');
  const starting: CallFacts = { status: 'dialing', answeredAt: null, endedAt: null, hangupCause: null, durationSeconds: null };

  it('fails a call left dialing or ringing, with no duration', () => {
    for (const status of ['dialing', 'ringing'] as const) {
      const event = stalledCallEvent(status, at);
      expect(event).not.toBeNull();
      const outcome = applyCallEvent({ ...starting, status }, event as CallEvent);
      expect(outcome.facts).toEqual({ status: 'failed', answeredAt: null, endedAt: at, hangupCause: CALL_STATE_LOST, durationSeconds: 0 });
      expect(callEndReason(outcome.facts)).toBe('error');
    }
  });

  it('leaves a call that was answered or ended alone', () => {
    for (const status of ['answered', 'ended', 'failed'] as const) expect(stalledCallEvent(status, at)).toBeNull();
  });
});
