import {
  applyPermissionReply,
  canStartCall,
  decidePermissionPrompt,
  effectivePermission,
  interruptedPromptWentOut,
  isWindowOpen,
  NO_PERMISSION_RECORD,
  permissionActions,
  withWindowOpenedAt,
  type PermissionRecord,
} from './call-permission';

const HOUR = 3600_000;
const now = new Date('2026-03-10T12:00:00.000Z');
const ago = (ms: number) => new Date(now.getTime() - ms);
const record = (patch: Partial<PermissionRecord> = {}): PermissionRecord => ({ ...NO_PERMISSION_RECORD, ...patch });

describe('the customer-service window', () => {
  it('is open for 24 hours after the consumer last wrote, and closed without a message', () => {
    expect(isWindowOpen(null, now)).toBe(false);
    expect(isWindowOpen(record(), now)).toBe(false);
    expect(isWindowOpen(record({ windowOpenedAt: ago(23 * HOUR) }), now)).toBe(true);
    expect(isWindowOpen(record({ windowOpenedAt: ago(24 * HOUR) }), now)).toBe(false);
  });

  it('runs from the latest message: an older one delivered late does not shorten it', () => {
    const opened = withWindowOpenedAt(record(), ago(HOUR));
    expect(withWindowOpenedAt(opened, ago(30 * HOUR)).windowOpenedAt).toEqual(ago(HOUR));
    expect(withWindowOpenedAt(opened, ago(0)).windowOpenedAt).toEqual(now);
  });
});

describe('decidePermissionPrompt', () => {
  const open = record({ windowOpenedAt: ago(HOUR) });

  it('refuses without an open window, whatever the limits', () => {
    expect(decidePermissionPrompt(record(), [], now)).toMatchObject({ ok: false, code: 'CUSTOMER_SERVICE_WINDOW_CLOSED', retryAt: null });
    expect(decidePermissionPrompt(null, [], now)).toMatchObject({ ok: false, code: 'CUSTOMER_SERVICE_WINDOW_CLOSED' });
  });

  it('allows the first prompt, then one per 24 hours', () => {
    expect(decidePermissionPrompt(open, [], now)).toEqual({ ok: true });
    expect(decidePermissionPrompt(open, [ago(2 * HOUR)], now)).toEqual({
      ok: false,
      code: 'PERMISSION_REQUEST_DAILY_LIMIT',
      message: expect.stringContaining('24 hours'),
      retryAt: new Date(ago(2 * HOUR).getTime() + 24 * HOUR),
    });
    expect(decidePermissionPrompt(open, [ago(25 * HOUR)], now)).toEqual({ ok: true });
  });

  it('allows at most two in 7 days, and says when the oldest leaves the period', () => {
    const sent = [ago(6 * 24 * HOUR), ago(3 * 24 * HOUR)];
    expect(decidePermissionPrompt(open, sent, now)).toEqual({
      ok: false,
      code: 'PERMISSION_REQUEST_WEEKLY_LIMIT',
      message: expect.stringContaining('7 days'),
      retryAt: new Date(sent[0].getTime() + 7 * 24 * HOUR),
    });
    expect(decidePermissionPrompt(open, [ago(8 * 24 * HOUR), ago(3 * 24 * HOUR)], now)).toEqual({ ok: true });
  });

  it('counts only the prompts after the last connected call (both limits reset)', () => {
    const connected = record({ windowOpenedAt: ago(HOUR), lastConnectedCallAt: ago(2 * HOUR) });
    expect(decidePermissionPrompt(connected, [ago(3 * HOUR), ago(4 * 24 * HOUR)], now)).toEqual({ ok: true });
    expect(decidePermissionPrompt(connected, [ago(HOUR)], now)).toMatchObject({ ok: false, code: 'PERMISSION_REQUEST_DAILY_LIMIT' });
  });
});

describe('interruptedPromptWentOut', () => {
  const usage = (daily: number, weekly: number) => [
    { timePeriod: 'PT24H', currentUsage: daily },
    { timePeriod: 'P7D', currentUsage: weekly },
  ];

  it("says the prompt went out when Meta counts more prompts than we recorded as sent", () => {
    expect(interruptedPromptWentOut(usage(1, 1), [], null, now)).toBe(true);
    expect(interruptedPromptWentOut(usage(1, 2), [ago(3 * 24 * HOUR)], null, now)).toBe(true);
  });

  it('says it did not when Meta counts only the prompts we recorded', () => {
    expect(interruptedPromptWentOut(usage(0, 0), [], null, now)).toBe(false);
    expect(interruptedPromptWentOut(usage(0, 1), [ago(3 * 24 * HOUR)], null, now)).toBe(false);
  });

  it('counts our prompts from the last connected call, as Meta does', () => {
    expect(interruptedPromptWentOut(usage(0, 1), [ago(3 * 24 * HOUR)], ago(HOUR), now)).toBe(true);
  });

  it('trusts nothing it cannot read', () => {
    expect(interruptedPromptWentOut([], [], null, now)).toBe(false);
  });
});

describe('permission', () => {
  it('reads a temporary permission until it expires, a permanent one always, a refusal as none', () => {
    expect(effectivePermission(record({ status: 'temporary', expiresAt: ago(-HOUR) }), now)).toEqual({ status: 'temporary', expiresAt: ago(-HOUR) });
    expect(effectivePermission(record({ status: 'temporary', expiresAt: ago(0) }), now)).toEqual({ status: 'no_permission', expiresAt: null });
    expect(effectivePermission(record({ status: 'permanent' }), now)).toEqual({ status: 'permanent', expiresAt: null });
    expect(effectivePermission(record({ status: 'refused' }), now)).toEqual({ status: 'no_permission', expiresAt: null });
    expect(canStartCall(null, now)).toBe(false);
    expect(canStartCall(record({ status: 'permanent' }), now)).toBe(true);
  });

  it('applies replies by when they were given: temporary for 7 days (or Meta\'s expiry), permanent, refused', () => {
    const temporary = applyPermissionReply(null, { accepted: true, permanent: false, expiresAt: null, at: ago(HOUR) });
    expect(temporary).toMatchObject({ status: 'temporary', expiresAt: new Date(ago(HOUR).getTime() + 7 * 24 * HOUR), windowOpenedAt: ago(HOUR), decidedAt: ago(HOUR) });
    const metaExpiry = applyPermissionReply(null, { accepted: true, permanent: false, expiresAt: ago(-2 * HOUR), at: ago(HOUR) });
    expect(metaExpiry.expiresAt).toEqual(ago(-2 * HOUR));
    const refused = applyPermissionReply(temporary, { accepted: false, permanent: false, expiresAt: null, at: ago(HOUR / 2) });
    expect(refused).toMatchObject({ status: 'refused', expiresAt: null });
    // The older acceptance delivered again, late: the refusal stands.
    expect(applyPermissionReply(refused, { accepted: true, permanent: false, expiresAt: null, at: ago(HOUR) })).toEqual(refused);
    expect(applyPermissionReply(refused, { accepted: true, permanent: true, expiresAt: null, at: now })).toMatchObject({ status: 'permanent' });
  });

  it("answers Meta's call_permissions shape", () => {
    const granted = record({ status: 'temporary', expiresAt: new Date('2026-03-15T00:00:00Z'), windowOpenedAt: ago(HOUR) });
    expect(permissionActions(granted, [], now)).toEqual({
      permission: { status: 'temporary', expiration_time: Date.parse('2026-03-15T00:00:00Z') / 1000 },
      actions: [
        { action_name: 'send_call_permission_request', can_perform_action: true },
        { action_name: 'start_call', can_perform_action: true },
      ],
    });
    expect(permissionActions(null, [], now)).toEqual({
      permission: { status: 'no_permission' },
      actions: [
        { action_name: 'send_call_permission_request', can_perform_action: false },
        { action_name: 'start_call', can_perform_action: false },
      ],
    });
  });
});
