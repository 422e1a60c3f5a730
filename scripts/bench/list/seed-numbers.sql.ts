import { sql, type RawBuilder } from 'kysely';

/**
 * Seeding for the list benchmark, in SQL so a million rows take seconds. Ids are 24 hex like
 * the application's; statuses follow a plausible mix (most numbers active).
 */
export const createAccountsSql = (first: number, last: number): RawBuilder<unknown> => sql`
INSERT INTO accounts (id, name, plan_code)
SELECT lpad(to_hex(g), 24, '0'), 'bench ' || g, 'scale' FROM generate_series(${first}::int, ${last}::int) g
ON CONFLICT DO NOTHING`;

/** One profile per account, id = the account id with its last digit set to f. */
export const createProfilesSql = (first: number, last: number): RawBuilder<unknown> => sql`
INSERT INTO profiles (id, account_id, name)
SELECT lpad(to_hex(g), 23, '0') || 'f', lpad(to_hex(g), 24, '0'), 'bench' FROM generate_series(${first}::int, ${last}::int) g
ON CONFLICT DO NOTHING`;

/** `count` numbers spread over accounts `firstAccount..lastAccount`, created over the last year. */
export const createNumbersSql = (count: number, firstAccount: number, lastAccount: number, firstSeq: number): RawBuilder<unknown> => sql`
INSERT INTO phone_numbers (id, account_id, profile_id, phone_number, country, status, monthly_cents, created_at, updated_at)
SELECT substr(md5(random()::text || g), 1, 24),
       lpad(to_hex(a), 24, '0'),
       lpad(to_hex(a), 23, '0') || 'f',
       '+1' || (2000000000 + g)::text,
       'US',
       (CASE WHEN r < 0.85 THEN 'active' WHEN r < 0.90 THEN 'suspended' WHEN r < 0.95 THEN 'released'
             WHEN r < 0.97 THEN 'verifying' WHEN r < 0.99 THEN 'pending_regulatory' ELSE 'releasing' END)::"NumberStatus",
       300,
       now() - (random() * interval '365 days'),
       now()
FROM (SELECT g, ${firstAccount}::int + (g % (${lastAccount}::int - ${firstAccount}::int + 1)) AS a, random() AS r
      FROM generate_series(${firstSeq}::bigint, ${firstSeq}::bigint + ${count}::bigint - 1) g) s`;

/** The measured account: exactly `count` numbers, all visible in the default view. */
export const createTargetNumbersSql = (accountId: string, count: number, profileId: string): RawBuilder<unknown> => sql`
INSERT INTO phone_numbers (id, account_id, profile_id, phone_number, country, status, monthly_cents, created_at, updated_at)
SELECT substr(md5('target' || g), 1, 24), ${accountId}, ${profileId}, '+1' || (3000000000 + g)::text, 'US',
       (CASE WHEN g % 10 = 0 THEN 'suspended' ELSE 'active' END)::"NumberStatus", 300,
       now() - (g * interval '1 hour'), now()
FROM generate_series(1, ${count}::int) g`;
