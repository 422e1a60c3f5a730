// @ts-check
// One jest process at a time: a PostgreSQL session advisory lock held around `work`.
// Every jest run connects to the same admin database, so they all see the same lock.

// An arbitrary constant: "numbers" test harness.
const HARNESS_LOCK_KEY = 7_361_829_104;

/**
 * @template T
 * @param {import('pg').Client} admin
 * @param {() => Promise<T>} work
 * @returns {Promise<T>}
 */
async function withHarnessLock(admin, work) {
  await admin.query('SELECT pg_advisory_lock($1)', [HARNESS_LOCK_KEY]);
  try {
    return await work();
  } finally {
    await admin.query('SELECT pg_advisory_unlock($1)', [HARNESS_LOCK_KEY]);
  }
}

module.exports = { withHarnessLock };
