// What a newcomer meets first: the demo account `npm start` and `npm run seed` create, on the
// running system. Its declined DE number is declined by the carrier's reviewer through the real
// review (requirement group created and submitted by the provisioning worker, the verdict as
// Telnyx's webhook), so the remediation endpoints work on it through the SDK.
import Zernio from '@zernio/node';
import type { Database } from '@numbers/persistence';
import { eventually } from '@numbers/test-support';
import { withDatabase } from '../scripts/lib/database';
import { seedDemo, type DemoAccount } from '../scripts/lib/demo-seed';
import { startSystem, type System } from './support/system';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');

let system: System;
let db: Database;
let demo: DemoAccount;

beforeAll(async () => {
  // A busy machine may take longer than the default to start a process.
  system = await startSystem({}, { readyTimeoutMs: 120_000 });
  db = system.db;
  demo = await withDatabase((persistence) => seedDemo(persistence, system.config, system.sim.url), system.config);
}, 480_000);

afterAll(async () => {
  await system?.stop();
});

describe('the demo account', () => {
  it('has a DE number declined through the real review: GET and POST .../remediate work on it', async () => {
    const z = new Zernio({ apiKey: demo.apiKey, baseURL: system.baseUrl });
    const declined = await eventually('the demo DE number declined by the reviewer', async () => {
      const number = await db.selectFrom('phoneNumbers').selectAll().where('accountId', '=', demo.accountId).where('country', '=', 'DE').where('status', '=', 'regulatory_declined').executeTakeFirst();
      return number ?? null;
    });
    // Declined by the carrier's review: its requirement group exists at the carrier, and the history says who decided.
    const groups = await system.sim.get<{ data: { id: string; customer_reference: string | null; status: string }[] }>('/_sim/telnyx/requirement-groups');
    expect(groups.data.filter((g) => g.customer_reference === declined.id).map((g) => [g.id, g.status])).toEqual([[declined.requirementGroupId, 'declined']]);
    const history = await db.selectFrom('numberStatusHistory').select(['event', 'toStatus']).where('numberId', '=', declined.id).where('applied', '=', true).orderBy('id').execute();
    expect(history.map((h) => [h.event, h.toStatus])).toEqual([
      ['payment_confirmed', 'provisioning'],
      ['regulatory_review_started', 'pending_regulatory'],
      ['regulatory_declined', 'regulatory_declined'],
    ]);

    const remediation = await z.whatsappphonenumbers.getWhatsAppNumberRemediation({ path: { id: declined.id } });
    expect(remediation.data).toMatchObject({ country: 'DE', numberType: 'local', declineReason: 'The ID document is unreadable', fields: [{ requirementId: 'req_de_id' }] });

    const remediated = await z.whatsappphonenumbers.remediateWhatsAppNumber({
      path: { id: declined.id },
      body: { documents: [{ requirementId: 'req_de_id', filename: 'ausweis-lesbar.pdf', base64: PDF.toString('base64') }] },
    });
    expect(remediated.data).toEqual({ status: 'resubmitted', phoneNumber: { id: declined.id, status: 'pending_regulatory' } });
  }, 120_000);
});
