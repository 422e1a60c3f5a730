import { Client } from 'pg';
import { createTestDatabase, TestDatabase } from './create-test-database';

async function query<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('createTestDatabase', () => {
  let first: TestDatabase;
  let second: TestDatabase;

  beforeAll(async () => {
    [first, second] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  });

  afterAll(async () => {
    await Promise.all([first?.drop(), second?.drop()]);
  });

  it('gives each call a database of its own', () => {
    expect(first.name).not.toEqual(second.name);
    expect(first.url).toContain(`/${first.name}`);
  });

  it('clones a template that holds the reference data', async () => {
    const plans = await query<{ code: string; max_numbers: number; price_cents: number }>(
      first.url,
      'SELECT code, max_numbers, price_cents FROM plans ORDER BY price_cents',
    );
    expect(plans).toEqual([
      { code: 'free', max_numbers: 0, price_cents: 0 },
      { code: 'starter', max_numbers: 1, price_cents: 900 },
      { code: 'growth', max_numbers: 5, price_cents: 2900 },
      { code: 'scale', max_numbers: 25, price_cents: 9900 },
    ]);
    const [germany] = await query<{ needs_kyc: boolean; kyc_requirements: Array<{ requirementId: string }> }>(
      second.url,
      "SELECT needs_kyc, kyc_requirements FROM countries WHERE code = 'DE'",
    );
    expect(germany.needs_kyc).toBe(true);
    expect(germany.kyc_requirements.map((r) => r.requirementId)).toEqual(['req_de_address', 'req_de_id']);
  });

  it('keeps what one test file writes out of the other databases', async () => {
    await query(first.url, "INSERT INTO accounts (id, name, plan_code) VALUES ('a0000000000000000000000f', 'First', 'free')");
    const inFirst = await query(first.url, 'SELECT id FROM accounts');
    const inSecond = await query(second.url, 'SELECT id FROM accounts');
    expect(inFirst).toHaveLength(1);
    expect(inSecond).toHaveLength(0);
  });

  it('drops the database, even with sessions open, and tolerates a second drop', async () => {
    const scratch = await createTestDatabase();
    const session = new Client({ connectionString: scratch.url });
    session.on('error', () => undefined);
    await session.connect();
    await scratch.drop();
    await scratch.drop();
    await session.end().catch(() => undefined);
    await expect(query(scratch.url, 'SELECT 1')).rejects.toThrow(/does not exist/);
  });
});
