import type Zernio from '@zernio/node';
import { eventually, type TestAccountWithKey } from '@numbers/test-support';
import type { System } from './system';

/** The ID document uploaded for a DE number. */
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
/** The registrant's address of a DE number. */
export const ADDRESS = { country_code: 'DE', business_name: 'Acme GmbH', street_address: 'Friedrichstrasse 68', locality: 'Berlin', postal_code: '10117' };

const dataOf = <T>(result: { data?: unknown }): T => result.data as T;

/**
 * A DE number bought through the SDK as a customer would: the purchase points at the KYC form;
 * the document is uploaded and the address checked; the submission is paid at Checkout (the
 * simulator's Pay button); the number then waits in review. Returns its id and its requirement
 * group at the carrier.
 */
export async function submitKycAndPay({ db, sim }: Pick<System, 'db' | 'sim'>, account: TestAccountWithKey, z: Zernio): Promise<{ numberId: string; groupId: string }> {
  const purchase = dataOf<{ status?: string; kycUrl?: string }>(
    await z.whatsappphonenumbers.purchaseWhatsAppPhoneNumber({ body: { profileId: account.profileId, country: 'DE' } }),
  );
  expect(purchase).toMatchObject({ status: 'kyc_required', kycUrl: expect.stringContaining('/v1/whatsapp/phone-numbers/kyc?country=DE') });

  const form = dataOf<{ fields: { requirementId: string; kind: string }[]; reusable: unknown }>(
    await z.whatsappphonenumbers.getWhatsAppNumberKycForm({ query: { country: 'DE', profileId: account.profileId } }),
  );
  expect(form.fields.map((f) => [f.requirementId, f.kind])).toEqual([
    ['req_de_address', 'address'],
    ['req_de_id', 'file'],
  ]);

  const uploaded = dataOf<{ documentId: string }>(
    await z.whatsappphonenumbers.uploadWhatsAppNumberKycDocument({
      body: new Blob([PDF], { type: 'application/pdf' }),
      headers: { 'X-Filename': encodeURIComponent('ausweis.pdf'), 'Content-Type': 'application/pdf' },
      // The SDK would JSON-encode the Blob: send its bytes as they are.
      bodySerializer: (body: unknown) => body,
    } as Parameters<typeof z.whatsappphonenumbers.uploadWhatsAppNumberKycDocument>[0]),
  );
  expect(uploaded.documentId).toMatch(/^[0-9a-f]{24}$/);
  const checked = dataOf<{ ok: boolean }>(
    await z.whatsappphonenumbers.validateWhatsAppNumberKycAddress({
      body: { country: 'DE', street_address: ADDRESS.street_address, locality: ADDRESS.locality, postal_code: ADDRESS.postal_code, administrative_area: 'Berlin' },
    }),
  );
  expect(checked).toEqual({ ok: true, skipped: false });

  const submitted = dataOf<{ status: string; checkoutUrl?: string; phoneNumber: { id: string; status: string } }>(
    await z.whatsappphonenumbers.submitWhatsAppNumberKyc({
      body: {
        profileId: account.profileId,
        country: 'DE',
        submissionId: `kyc-${account.accountId}`,
        address: ADDRESS,
        documents: [{ requirementId: 'req_de_id', documentId: uploaded.documentId }],
      },
    }),
  );
  expect(submitted).toMatchObject({ status: 'kyc_submitted', checkoutUrl: expect.stringContaining('/checkout/'), phoneNumber: { status: 'pending_payment' } });
  const numberId = submitted.phoneNumber.id;
  const numberOf = () => db.selectFrom('phoneNumbers').selectAll().where('id', '=', numberId).executeTakeFirstOrThrow();
  const { stripeCheckoutSessionId } = await numberOf();
  await sim.post(`/_sim/stripe/checkout/${stripeCheckoutSessionId}/pay`, {});

  const reviewing = await eventually(`number ${numberId} pending_regulatory`, async () => {
    const number = await numberOf();
    return number.status === 'pending_regulatory' ? number : null;
  });
  const list = dataOf<{ numbers: { _id: string; status: string; telnyxOrderId: string | null; registrantName: string | null }[] }>(
    await z.whatsappphonenumbers.getWhatsAppPhoneNumbers({ query: { status: 'pending_regulatory' } }),
  );
  expect(list.numbers.find((n) => n._id === numberId)).toMatchObject({ status: 'pending_regulatory', telnyxOrderId: null, registrantName: 'Acme GmbH' });
  return { numberId, groupId: reviewing.requirementGroupId ?? '' };
}

/** The carrier's reviewer decides on a requirement group (the simulator's control API): `{verdict: 'approve'}`, or a decline with its reason and fields. */
export function reviewGroup(sim: System['sim'], groupId: string, verdict: unknown): Promise<unknown> {
  return sim.post(`/_sim/telnyx/requirement-groups/${groupId}/review`, verdict);
}
