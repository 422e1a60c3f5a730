import Telnyx from 'telnyx';
import { createTelnyxClient, ProviderError, TelnyxSdkCarrierGateway, type CarrierGateway } from '@numbers/providers';
import type { RequestLogEntry } from '../state/request-log.store';
import { isTelnyxEvent, verifiedTelnyxEvents } from '../testing/provider-webhooks';
import { appConfigFor, simFetch, startSimulator, type RunningSimulator } from '../testing/simulator-test-harness';
import { startWebhookReceiver, type WebhookReceiver } from '../testing/webhook-receiver';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
const ADDRESS = {
  countryCode: 'DE',
  businessName: 'Acme GmbH',
  firstName: null,
  lastName: null,
  streetAddress: 'Friedrichstrasse 68',
  extendedAddress: null,
  locality: 'Berlin',
  administrativeArea: null,
  postalCode: '10117',
};

/**
 * Requirement groups, their review and the number orders that need them, through the real telnyx
 * SDK; and what a group references: the requirements catalog, addresses and documents.
 */
describe('Telnyx requirement groups against the simulator', () => {
  let receiver: WebhookReceiver;
  let sim: RunningSimulator;
  let carrier: CarrierGateway;
  let telnyx: Telnyx;
  /** The carrier's DE local requirement types, and a group's values for them (an address and a document created at the carrier). */
  let DE_ADDRESS: string;
  let DE_ID: string;
  let DE_VALUES: { requirementId: string; value: string }[];

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    sim = await startSimulator({ SIMULATOR_WEBHOOK_TARGET: receiver.url }, { webhookRetry: { baseDelayMs: 10 } });
    const config = appConfigFor(sim.url, sim.telnyxPublicKey);
    telnyx = createTelnyxClient(config.telnyx, { maxRetries: 0 });
    carrier = new TelnyxSdkCarrierGateway(telnyx, { connectionId: 'conn_1', messagingProfileId: 'mp_1' });
  });
  afterAll(async () => {
    await sim.close();
    await receiver.close();
  });
  beforeEach(async () => {
    await simFetch(`${sim.url}/_sim/reset`, { method: 'POST' });
    receiver.received.length = 0;
    const types = await carrier.listOrderingRequirements('DE', 'local');
    [DE_ADDRESS, DE_ID] = [types[0].id, types[1].id];
    const addressId = await carrier.createAddress({ ...ADDRESS, customerReference: 'addr-1' }, 'addr-1');
    const documentId = await carrier.uploadDocument({ customerReference: 'doc-1', filename: 'ausweis.pdf', content: PDF }, 'doc-1');
    DE_VALUES = [
      { requirementId: DE_ADDRESS, value: addressId },
      { requirementId: DE_ID, value: documentId },
    ];
  });

  const review = (id: string, body: unknown) => simFetch<{ data?: Record<string, unknown>; error?: string }>(`${sim.url}/_sim/telnyx/requirement-groups/${id}/review`, { body });
  const statusUpdated = (id: string, status: string) =>
    receiver.waitFor(isTelnyxEvent('requirement_group.status_updated', (payload) => payload.id === id && payload.status === status));
  const requestsOf = async (method: string, path: string): Promise<RequestLogEntry[]> =>
    (await simFetch<{ requests: RequestLogEntry[] }>(`${sim.url}/_sim/requests?provider=telnyx`)).body.requests.filter(
      (r) => r.method === method && r.path === path,
    );
  const germanNumber = async () => (await carrier.searchAvailableNumbers({ country: 'DE', numberType: 'local', features: ['sms'], limit: 1 }))[0].phoneNumber;

  it('creates a group once per customer reference, in Telnyx’s shape, and reads it back', async () => {
    const created = await carrier.createRequirementGroup({ country: 'DE', numberType: 'local', customerReference: 'num_1', requirements: DE_VALUES }, 'rg-num_1');
    expect(created).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      status: 'unapproved',
      country: 'DE',
      numberType: 'local',
      customerReference: 'num_1',
      requirements: DE_VALUES.map((v) => ({ requirementId: v.requirementId, value: v.value, status: 'unapproved' })),
    });
    // A re-run job with another key finds the group by its customer reference instead of creating another.
    await expect(carrier.createRequirementGroup({ country: 'DE', numberType: 'local', customerReference: 'num_1', requirements: DE_VALUES }, 'rg-num_1-b')).resolves.toEqual(created);
    expect(await requestsOf('POST', '/v2/requirement_groups')).toHaveLength(1);

    await expect(carrier.getRequirementGroup(created.id)).resolves.toEqual(created);
    await expect(carrier.getRequirementGroup('00000000-0000-0000-0000-000000000000')).resolves.toBeNull();
    // The wire: bare objects and arrays, as the SDK types them.
    const listed = await telnyx.requirementGroups.list({ filter: { customer_reference: 'num_1' } });
    expect(listed).toEqual([
      expect.objectContaining({
        id: created.id,
        record_type: 'requirement_group',
        action: 'ordering',
        country_code: 'DE',
        regulatory_requirements: [expect.objectContaining({ requirement_id: DE_ADDRESS, field_type: 'address' }), expect.objectContaining({ requirement_id: DE_ID, field_type: 'document' })],
      }),
    ]);
    await expect(telnyx.requirementGroups.list({ filter: { country_code: 'FR' } })).resolves.toEqual([]);
  });

  it('refuses a malformed group with Telnyx’s 422 naming the field', async () => {
    const error = await telnyx.requirementGroups.create({ action: 'ordering', country_code: 'Germany', phone_number_type: 'local' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 422, error: { errors: [{ code: '10015', source: { pointer: '/country_code' } }] } });
    await expect(carrier.submitRequirementGroup('nope', 'k')).rejects.toMatchObject({ status: 404, retryable: false });
  });

  it('approval: a signed requirement_group.status_updated, every requirement approved; then a number order with the group goes through', async () => {
    const group = await carrier.createRequirementGroup({ country: 'DE', numberType: 'local', customerReference: 'num_2', requirements: DE_VALUES }, 'rg-num_2');
    const phoneNumber = await germanNumber();

    // Unapproved: no order for a KYC country, with or without the group.
    for (const requirementGroupId of [undefined, group.id, 'unknown-group']) {
      await expect(carrier.orderNumber({ phoneNumber, customerReference: 'num_2', requirementGroupId }, `order-${requirementGroupId}`)).rejects.toMatchObject({
        status: 422,
        retryable: false,
        detail: expect.stringMatching(/requirement group/i),
      });
    }

    const submitted = await carrier.submitRequirementGroup(group.id, 'submit-num_2-1');
    expect(submitted).toMatchObject({ status: 'pending-approval', requirements: [{ status: 'pending-approval' }, { status: 'pending-approval' }] });
    // Submitting again while under review changes nothing.
    await expect(carrier.submitRequirementGroup(group.id, 'submit-num_2-again')).resolves.toEqual(submitted);
    expect(await requestsOf('POST', `/v2/requirement_groups/${group.id}/submit_for_approval`)).toHaveLength(1);

    expect(await review(group.id, { verdict: 'approve' })).toMatchObject({ status: 200, body: { data: { status: 'approved' } } });
    await statusUpdated(group.id, 'approved');
    const [event] = (await verifiedTelnyxEvents(receiver.received, sim.telnyxPublicKey)).filter((e) => e.data.event_type === 'requirement_group.status_updated');
    expect(event.data).toMatchObject({ record_type: 'event', payload: { id: group.id, record_type: 'requirement_group', status: 'approved', customer_reference: 'num_2' } });
    await expect(carrier.getRequirementGroup(group.id)).resolves.toMatchObject({ status: 'approved', requirements: [{ status: 'approved' }, { status: 'approved' }] });
    await expect(carrier.listRequirementGroupComments(group.id)).resolves.toEqual([]);

    const order = await carrier.orderNumber({ phoneNumber, customerReference: 'num_2', requirementGroupId: group.id }, 'order-num_2');
    expect(order).toMatchObject({ status: 'pending', customerReference: 'num_2' });
    await receiver.waitFor(isTelnyxEvent('number_order.complete', (payload) => payload.customer_reference === 'num_2'));
    await expect(carrier.getNumberOrder(order.orderId)).resolves.toMatchObject({ status: 'success', phoneNumbers: [{ phoneNumber, status: 'success' }] });

    // An approved group is final.
    const change = await telnyx.requirementGroups.update(group.id, { regulatory_requirements: [{ requirement_id: 'req_de_id', field_value: 'x' }] }).catch((e: unknown) => e);
    expect(change).toMatchObject({ status: 422 });
    expect(await review(group.id, { verdict: 'approve' })).toMatchObject({ status: 409 });
  });

  it('decline: the requirements at fault flagged, the reason as a reviewer comment; corrected and resubmitted, the same group is approved', async () => {
    const group = await carrier.createRequirementGroup({ country: 'DE', numberType: 'local', customerReference: 'num_3', requirements: DE_VALUES }, 'rg-num_3');
    await carrier.submitRequirementGroup(group.id, 'submit-num_3-1');
    expect(await review(group.id, { verdict: 'decline', reason: 'The ID document is unreadable', fields: ['nope'] })).toMatchObject({ status: 400 });
    expect(await review(group.id, { verdict: 'decline', reason: 'The ID document is unreadable', fields: [DE_ID] })).toMatchObject({ status: 200 });
    await statusUpdated(group.id, 'declined');

    await expect(carrier.getRequirementGroup(group.id)).resolves.toMatchObject({
      status: 'declined',
      requirements: [
        { requirementId: DE_ADDRESS, status: 'approved' },
        { requirementId: DE_ID, status: 'declined' },
      ],
    });
    await expect(carrier.listRequirementGroupComments(group.id)).resolves.toEqual([{ body: 'The ID document is unreadable', byReviewer: true, createdAt: expect.any(String) }]);

    const second = await carrier.uploadDocument({ customerReference: 'doc-2', filename: 'ausweis-lesbar.pdf', content: PDF }, 'doc-2');
    const corrected = await carrier.updateRequirementGroup(group.id, [{ requirementId: DE_ID, value: second }], 'update-num_3-2');
    expect(corrected).toMatchObject({ id: group.id, status: 'declined', requirements: [{ status: 'approved' }, { value: second, status: 'unapproved' }] });
    await expect(carrier.submitRequirementGroup(group.id, 'submit-num_3-2')).resolves.toMatchObject({ status: 'pending-approval' });
    expect(await review(group.id, { verdict: 'approve' })).toMatchObject({ status: 200 });
    await statusUpdated(group.id, 'approved');
    const groups = await telnyx.requirementGroups.list({ filter: { customer_reference: 'num_3' } });
    expect(groups).toHaveLength(1);
  });

  it('scripted reviews: the next submissions take the armed verdicts, after the review delay; the rest stay pending', async () => {
    await simFetch(`${sim.url}/_sim/telnyx/requirement-groups/review-policy`, { method: 'PUT', body: { delayMs: 50 } });
    expect(await simFetch(`${sim.url}/_sim/telnyx/requirement-groups/next-review`, { body: { verdict: 'decline', reason: '' } })).toMatchObject({ status: 400 });
    await simFetch(`${sim.url}/_sim/telnyx/requirement-groups/next-review`, { body: { verdict: 'decline', reason: 'Address is not in Germany', fields: [DE_ADDRESS] } });
    await simFetch(`${sim.url}/_sim/telnyx/requirement-groups/next-review`, { body: { verdict: 'approve' } });

    const ids: string[] = [];
    for (const reference of ['num_4', 'num_5', 'num_6']) {
      const group = await carrier.createRequirementGroup({ country: 'DE', numberType: 'local', customerReference: reference, requirements: DE_VALUES }, `rg-${reference}`);
      await carrier.submitRequirementGroup(group.id, `submit-${reference}`);
      ids.push(group.id);
    }
    await statusUpdated(ids[0], 'declined');
    await statusUpdated(ids[1], 'approved');
    await expect(carrier.listRequirementGroupComments(ids[0])).resolves.toEqual([expect.objectContaining({ body: 'Address is not in Germany' })]);
    await new Promise((r) => setTimeout(r, 150));
    await expect(carrier.getRequirementGroup(ids[2])).resolves.toMatchObject({ status: 'pending-approval' });
  });

  it('a scripted decline naming requirements the group lacks leaves it under review, and the simulator keeps answering', async () => {
    await simFetch(`${sim.url}/_sim/telnyx/requirement-groups/review-policy`, { method: 'PUT', body: { delayMs: 50 } });
    await simFetch(`${sim.url}/_sim/telnyx/requirement-groups/next-review`, { body: { verdict: 'decline', reason: 'Unreadable', fields: ['req_de_id'] } });
    const group = await carrier.createRequirementGroup({ country: 'DE', numberType: 'local', customerReference: 'num_9', requirements: DE_VALUES }, 'rg-num_9');
    await carrier.submitRequirementGroup(group.id, 'submit-num_9');
    await new Promise((r) => setTimeout(r, 200));
    await expect(carrier.getRequirementGroup(group.id)).resolves.toMatchObject({ status: 'pending-approval' });
  });

  it('a country needs a group only while the control API says so', async () => {
    const phoneNumber = await germanNumber();
    await simFetch(`${sim.url}/_sim/telnyx/countries/de/kyc`, { method: 'PUT', body: { required: false } });
    await expect(carrier.orderNumber({ phoneNumber, customerReference: 'num_7' }, 'order-num_7')).resolves.toMatchObject({ status: 'pending' });
    const state = await simFetch<{ telnyx: { kycCountries: string[] } }>(`${sim.url}/_sim/state`);
    expect(state.body.telnyx.kycCountries).toEqual(['AU', 'BR', 'FR']);
    expect(await simFetch(`${sim.url}/_sim/telnyx/countries/de/kyc`, { method: 'PUT', body: { required: 'yes' } })).toMatchObject({ status: 400 });
  });

  it('a carrier failure is a retryable ProviderError', async () => {
    await simFetch(`${sim.url}/_sim/faults`, { body: { provider: 'telnyx', method: 'POST', path: '/v2/requirement_groups', action: 'fail', status: 503, times: 1 } });
    const error = await carrier.createRequirementGroup({ country: 'DE', numberType: 'local', customerReference: 'num_8', requirements: DE_VALUES }, 'rg-num_8').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ status: 503, retryable: true });
  });

  it('the requirements catalog: what ordering a number type of a country needs, by the carrier’s ids, in Telnyx’s shape', async () => {
    await expect(carrier.listOrderingRequirements('DE', 'local')).resolves.toEqual([
      { id: DE_ADDRESS, name: 'Address matching the DID area code', kind: 'address' },
      { id: DE_ID, name: 'Proof of identity', kind: 'document' },
    ]);
    await expect(carrier.listOrderingRequirements('FR', 'local')).resolves.toEqual([
      expect.objectContaining({ kind: 'address' }),
      expect.objectContaining({ kind: 'document', name: 'Proof of identity' }),
      expect.objectContaining({ kind: 'document', name: 'Proof of address' }),
    ]);
    await expect(carrier.listOrderingRequirements('US', 'local')).resolves.toEqual([]);
    const page = await telnyx.requirements.list({ filter: { country_code: 'DE', phone_number_type: 'local', action: 'ordering' } });
    expect(page.data).toEqual([
      expect.objectContaining({ record_type: 'requirement', country_code: 'DE', action: 'ordering', requirement_types: [expect.objectContaining({ id: DE_ADDRESS, type: 'address' }), expect.objectContaining({ id: DE_ID, type: 'document' })] }),
    ]);
    await expect(telnyx.requirementTypes.retrieve(DE_ID)).resolves.toMatchObject({ data: { id: DE_ID, record_type: 'requirement_type', type: 'document' } });
  });

  it('an address and a document are created once per customer reference: a retry with a new key finds the first', async () => {
    const [addressId, documentId] = DE_VALUES.map((v) => v.value);
    await expect(carrier.createAddress({ ...ADDRESS, customerReference: 'addr-1' }, 'addr-1-retry')).resolves.toBe(addressId);
    await expect(carrier.uploadDocument({ customerReference: 'doc-1', filename: 'ausweis.pdf', content: PDF }, 'doc-1-retry')).resolves.toBe(documentId);
    expect(await requestsOf('POST', '/v2/addresses')).toHaveLength(1);
    expect(await requestsOf('POST', '/v2/documents')).toHaveLength(1);
    await expect(telnyx.addresses.retrieve(addressId)).resolves.toMatchObject({ data: { id: addressId, record_type: 'address', country_code: 'DE', street_address: 'Friedrichstrasse 68', customer_reference: 'addr-1' } });
    await expect(telnyx.documents.retrieve(documentId)).resolves.toMatchObject({
      data: { id: documentId, record_type: 'document', filename: 'ausweis.pdf', content_type: 'application/pdf', size: { amount: PDF.byteLength, unit: 'bytes' } },
    });
    // An address needs a business name, or a first and last name.
    const error = await carrier.createAddress({ ...ADDRESS, businessName: null, customerReference: 'addr-2' }, 'addr-2').catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 422, retryable: false });
  });

  it('a group references only what the carrier has: its requirement types, addresses in the country, uploaded documents; it is submitted only complete', async () => {
    const [addressId, documentId] = DE_VALUES.map((v) => v.value);
    const refused = (requirements: { requirementId: string; value: string }[]) =>
      carrier.createRequirementGroup({ country: 'DE', numberType: 'local', customerReference: 'num_9', requirements }, `rg-${requirements.length}-${requirements[0]?.value}`).catch((e: unknown) => e);
    await expect(refused([{ requirementId: 'req_de_id', value: documentId }])).resolves.toMatchObject({ status: 422 });
    await expect(refused([{ requirementId: DE_ID, value: 'doc_1' }])).resolves.toMatchObject({ status: 422 });
    await expect(refused([{ requirementId: DE_ADDRESS, value: documentId }])).resolves.toMatchObject({ status: 422 });
    const french = await carrier.createAddress({ ...ADDRESS, countryCode: 'FR', streetAddress: '12 Rue de Rivoli', locality: 'Paris', postalCode: '75004', customerReference: 'addr-fr' }, 'addr-fr');
    await expect(refused([{ requirementId: DE_ADDRESS, value: french }])).resolves.toMatchObject({ status: 422 });

    const partial = await carrier.createRequirementGroup({ country: 'DE', numberType: 'local', customerReference: 'num_9', requirements: [{ requirementId: DE_ADDRESS, value: addressId }] }, 'rg-num_9');
    await expect(carrier.submitRequirementGroup(partial.id, 'submit-num_9')).rejects.toMatchObject({ status: 422 });
    await carrier.updateRequirementGroup(partial.id, [{ requirementId: DE_ID, value: documentId }], 'update-num_9');
    await expect(carrier.submitRequirementGroup(partial.id, 'submit-num_9-2')).resolves.toMatchObject({ status: 'pending-approval' });
  });
});
