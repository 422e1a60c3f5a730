const { createHmac, timingSafeEqual } = require('node:crypto');

// headers: the request's headers as Node gives them (lower-case names);
// rawBody: the body exactly as received (string or Buffer), before any JSON parsing.
function verifyWebhook(secret, headers, rawBody, nowMs = Date.now()) {
  const timestamp = headers['x-zernio-timestamp'];
  if (!(Math.abs(nowMs / 1000 - Number(timestamp)) <= 300)) return false; // older than 5 minutes
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`);
  const received = Buffer.from(String(headers['x-zernio-signature'] ?? ''));
  return received.length === expected.length && timingSafeEqual(received, expected);
}

module.exports = { verifyWebhook };
