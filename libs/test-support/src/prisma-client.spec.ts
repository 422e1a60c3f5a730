import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '@prisma/client';
import { createTestDatabase, TestDatabase } from './create-test-database';

// The generated client (global setup regenerates it when the schema changes) reads a test
// database through the pg driver adapter, as the apps do: Prisma 6.19 client, adapter 7.x.
describe('the Prisma client on a test database', () => {
  let database: TestDatabase;
  let prisma: PrismaClient;

  beforeAll(async () => {
    database = await createTestDatabase();
    prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: database.url }) });
  });

  afterAll(async () => {
    await prisma?.$disconnect();
    await database?.drop();
  });

  it('reads the reference data and writes rows', async () => {
    const countries = await prisma.country.findMany({ where: { needsKyc: false }, orderBy: { code: 'asc' } });
    expect(countries.map((c) => c.code)).toEqual(['CA', 'GB', 'US']);
    const account = await prisma.account.create({ data: { id: '0123456789abcdef01234567', name: 'Acme', planCode: 'growth' } });
    const withPlan = await prisma.account.findUniqueOrThrow({ where: { id: account.id }, include: { plan: true } });
    expect(withPlan.plan.maxNumbers).toBe(5);
  });
});
