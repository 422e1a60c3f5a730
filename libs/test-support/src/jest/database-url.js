// @ts-check
// The URL of another database on the same server.

/** @param {string} serverUrl @param {string} database */
function databaseUrl(serverUrl, database) {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** @param {string} identifier one of our generated names: [a-z0-9_] only */
function quoteIdent(identifier) {
  if (!/^[a-z0-9_]+$/.test(identifier)) throw new Error(`unexpected database name: ${identifier}`);
  return `"${identifier}"`;
}

module.exports = { databaseUrl, quoteIdent };
