import http from 'node:http';
import https from 'node:https';

const POLL_INTERVAL_MS = 100;
const REQUEST_TIMEOUT_MS = 1000;

/**
 * Polls `url` with GET until it answers 2xx. Stops (resolving false) when `cancelled()` turns
 * true, so a process that dies is not polled for the rest of the timeout.
 */
export async function pollUntilOk(url: string, cancelled: () => boolean): Promise<boolean> {
  while (!cancelled()) {
    if (await answersOk(url)) return true;
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
  return false;
}

function answersOk(url: string): Promise<boolean> {
  const client = url.startsWith('https:') ? https : http;
  return new Promise((resolve) => {
    const request = client.get(url, { agent: false, timeout: REQUEST_TIMEOUT_MS }, (response) => {
      response.resume();
      const status = response.statusCode ?? 0;
      resolve(status >= 200 && status < 300);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
  });
}
