import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { OnModuleDestroy } from '@nestjs/common';
import { checkWebhookUrl, forbiddenAddressReason, isAllowedDestination } from '@numbers/domain';

/** The most of a response body that is read (and kept in the delivery log); the rest is not waited for. */
export const MAX_RESPONSE_BODY_BYTES = 64 * 1024;

export interface DeliveryRequest {
  url: string;
  /** deliveryHeaders() of @numbers/domain: signed for this attempt. */
  headers: Record<string, string>;
  /** The body exactly as signed. */
  body: string;
}

export interface DeliveryOutcome {
  /** The receiver answered 2xx within the timeout. */
  ok: boolean;
  statusCode: number | null;
  /** At most MAX_RESPONSE_BODY_BYTES of it; null when no response came. */
  responseBody: string | null;
  /** Why it failed, short and free of secrets; null on success. */
  error: string | null;
  responseTimeMs: number;
}

/** AppConfig.webhooks: where deliveries may go and how long one may take. */
export interface WebhookSenderOptions {
  timeoutMs: number;
  allowLoopback: boolean;
  requireHttps: boolean;
}

class DeliveryError extends Error {}

/**
 * POSTs one webhook delivery to a customer's endpoint and reports how it went; it never throws
 * and never logs (the headers hold a signature, custom headers may hold the customer's tokens).
 *
 * Safety: the URL is checked first (scheme, credentials, IP literals); a host name is resolved
 * by our own lookup, which refuses the delivery if ANY of its addresses is forbidden and hands
 * the checked addresses to the socket, so the connection goes where the check looked (no DNS
 * rebinding between check and connect). Redirects are not followed; one timeout covers the whole
 * exchange; the response body is read up to 64 KB, then the connection is dropped.
 */
export class WebhookSender implements OnModuleDestroy {
  // Our own keep-alive pools: their sockets were all opened through the checked lookup.
  private readonly agents = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };
  private readonly lookup: LookupFunction;

  constructor(private readonly options: WebhookSenderOptions) {
    this.lookup = checkedLookup(options.allowLoopback);
  }

  send({ url, headers, body }: DeliveryRequest): Promise<DeliveryOutcome> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const refusal = checkWebhookUrl(url, this.options);
    if (refusal) return Promise.resolve(failed(refusal, null, null, elapsed()));
    const target = new URL(url);
    const client = target.protocol === 'https:' ? https : http;
    const agent = target.protocol === 'https:' ? this.agents['https:'] : this.agents['http:'];

    return new Promise((resolve) => {
      let settled = false;
      let statusCode: number | null = null;
      const chunks: Buffer[] = [];
      let received = 0;
      const responseBody = () => (statusCode === null ? null : Buffer.concat(chunks).toString('utf8'));
      const settle = (error: string | null) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const ok = error === null && statusCode !== null && statusCode >= 200 && statusCode < 300;
        resolve({ ok, statusCode, responseBody: responseBody(), error: ok ? null : (error ?? httpError(statusCode)), responseTimeMs: elapsed() });
      };

      let request: http.ClientRequest;
      try {
        request = client.request(
          target,
          { method: 'POST', agent, lookup: this.lookup, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
          (response) => {
            statusCode = response.statusCode ?? null;
            response.on('data', (chunk: Buffer) => {
              const room = MAX_RESPONSE_BODY_BYTES - received;
              if (room > 0) chunks.push(chunk.subarray(0, room));
              received += chunk.length;
              if (received >= MAX_RESPONSE_BODY_BYTES) {
                // Enough for the log: settle now and drop the connection rather than read the rest.
                settle(null);
                response.destroy();
              }
            });
            response.on('end', () => settle(null));
            response.on('error', (error) => settle(describe(error)));
          },
        );
      } catch (error) {
        // Node refuses a malformed header before anything is sent (its message names the header, not the value).
        resolve(failed(describe(error), null, null, elapsed()));
        return;
      }
      const timer = setTimeout(() => {
        settle(`timeout after ${this.options.timeoutMs} ms`);
        request.destroy();
      }, this.options.timeoutMs);
      request.on('error', (error) => settle(describe(error)));
      request.end(body);
    });
  }

  /** Closes the idle keep-alive connections. */
  onModuleDestroy(): void {
    this.agents['http:'].destroy();
    this.agents['https:'].destroy();
  }
}

/**
 * dns.lookup, except that a host with any forbidden address is refused, and the addresses that
 * were checked are the ones the socket gets.
 */
function checkedLookup(allowLoopback: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { all: true, family: options.family, hints: options.hints }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '');
      const forbidden = addresses.find(({ address }) => !isAllowedDestination(address, allowLoopback));
      if (forbidden) {
        return callback(new DeliveryError(`${hostname} resolves to ${forbidden.address} (${forbiddenAddressReason(forbidden.address)}): webhooks go to public addresses only`), '');
      }
      const [first] = addresses;
      if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '');
      return options.all ? callback(null, addresses) : callback(null, first.address, first.family);
    });
  };
}

function failed(error: string, statusCode: number | null, responseBody: string | null, responseTimeMs: number): DeliveryOutcome {
  return { ok: false, statusCode, responseBody, error, responseTimeMs };
}

function httpError(statusCode: number | null): string {
  if (statusCode !== null && statusCode >= 300 && statusCode < 400) return `HTTP ${statusCode}: redirects are not followed`;
  return `HTTP ${statusCode}`;
}

const ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
};
const TLS_ERROR = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH)/;

/** A short reason for the delivery log. */
function describe(error: unknown): string {
  // Several addresses tried in turn (happy eyeballs) fail together; the first says why.
  const cause = error instanceof AggregateError && error.errors.length > 0 ? error.errors[0] : error;
  if (cause instanceof DeliveryError) return cause.message;
  const code = (cause as NodeJS.ErrnoException | null)?.code ?? '';
  const message = cause instanceof Error ? cause.message : String(cause);
  if (ERRORS[code]) return ERRORS[code];
  if (TLS_ERROR.test(code)) return `TLS: ${message}`;
  return message.slice(0, 200);
}
