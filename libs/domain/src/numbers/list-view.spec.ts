import { listViewFor } from './list-view';

const now = new Date('2026-11-25T12:00:00Z');

describe('listViewFor', () => {
  it('the default view is every state but released, with connected numbers', () => {
    const view = listViewFor(undefined, now);
    expect(view.statuses).toHaveLength(8);
    expect(view.statuses).not.toContain('released');
    expect(view.includeConnected).toBe(true);
    expect(view.declinedSince).toBeUndefined();
  });

  it('pending_regulatory is the provisioning view: plus declines of the last 30 days', () => {
    const view = listViewFor('pending_regulatory', now);
    expect(view.statuses).toEqual(['pending_regulatory']);
    expect(view.declinedSince?.toISOString()).toBe('2026-10-26T12:00:00.000Z');
    expect(view.includeConnected).toBe(false);
  });

  it('active shows connected numbers; other states and released do not', () => {
    expect(listViewFor('active', now)).toEqual({ statuses: ['active'], includeConnected: true });
    expect(listViewFor('released', now)).toEqual({ statuses: ['released'], includeConnected: false });
    expect(listViewFor('suspended', now).includeConnected).toBe(false);
  });
});
