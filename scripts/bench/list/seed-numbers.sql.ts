/**
 * Seeding for the list benchmark, in SQL so a million rows take seconds. Ids are 24 hex like
 * the application's; statuses follow a plausible mix (most numbers active).
 */
export const CREATE_ACCOUNTS = `
INSERT INTO accounts (id, name, plan_code)
SELECT lpad(to_hex(g), 24, '0'), 'bench ' || g, 'scale' FROM generate_series($1::int, $2::int) g
ON CONFLICT DO NOTHING`;

/** One profile per account, id = the account id with its last digit set to f. */
export const CREATE_PROFILES = `
INSERT INTO profiles (id, account_id, name)
SELECT lpad(to_hex(g), 23, '0') || 'f', lpad(to_hex(g), 24, '0'), 'bench' FROM generate_series($1::int, $2::int) g
ON CONFLICT DO NOTHING`;

/** `$1` numbers spread over accounts `$2..$3`, created over the last year. */
export const CREATE_NUMBERS = `
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
FROM (SELECT g, $2::int + (g % ($3::int - $2::int + 1)) AS a, random() AS r
      FROM generate_series($4::bigint, $4::bigint + $1::bigint - 1) g) s;`;

/** The measured account: exactly `$2` numbers, all visible in the default view. */
export const CREATE_TARGET_NUMBERS = `
INSERT INTO phone_numbers (id, account_id, profile_id, phone_number, country, status, monthly_cents, created_at, updated_at)
SELECT substr(md5('target' || g), 1, 24), $1, $3, '+1' || (3000000000 + g)::text, 'US',
       (CASE WHEN g % 10 = 0 THEN 'suspended' ELSE 'active' END)::"NumberStatus", 300,
       now() - (g * interval '1 hour'), now()
FROM generate_series(1, $2::int) g;`;
