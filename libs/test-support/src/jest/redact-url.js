// @ts-check
// A connection URL fit for a log line: the password, if any, replaced by ***.

/** @param {string} url */
function redactUrl(url) {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable url>';
  }
}

module.exports = { redactUrl };
