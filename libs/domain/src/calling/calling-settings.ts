import { isIP } from 'node:net';
import { forbiddenAddressReason, isAllowedDestination } from '../webhooks-out/destination-policy';

/**
 * WhatsApp calling on a hosted number: where it stands, and the fixed parts of a
 * business-initiated call over SIP (SPEC "Calling").
 */

/**
 * `enabling`/`disabling`: the customer asked, the calling worker is configuring Meta and the
 * carrier; `failed`: a provider refused (the detail says why). Only `enabled` numbers can call.
 */
export const CALLING_STATUSES = ['disabled', 'enabling', 'enabled', 'disabling', 'failed'] as const;
export type CallingStatus = (typeof CALLING_STATUSES)[number];

export function isCallingStatus(value: string): value is CallingStatus {
  return (CALLING_STATUSES as readonly string[]).includes(value);
}

/** What `sync-whatsapp-calling` must do for a number: the wish (`callingEnabled`) against where it is. */
export function callingStep(wanted: boolean, status: CallingStatus): 'enable' | 'disable' | 'none' {
  if (wanted) return status === 'enabled' ? 'none' : 'enable';
  return status === 'disabled' ? 'none' : 'disable';
}

/** The status a number shows right after the customer asked to enable or disable calling. */
export function requestedCallingStatus(wanted: boolean, current: CallingStatus): CallingStatus {
  if (wanted) return current === 'enabled' ? 'enabled' : 'enabling';
  return current === 'disabled' ? 'disabled' : 'disabling';
}

/** Where Meta takes business-initiated calls over SIP, TLS on 5061. */
export const WHATSAPP_SIP_DOMAIN = 'wa.meta.vc';
export const WHATSAPP_SIP_TLS_PORT = 5061;

/** `+447700900123` or `447700900123` → `+447700900123`; null if it is not E.164. */
export function normalizeWaId(value: string): string | null {
  const trimmed = value.trim();
  const digits = trimmed.startsWith('+') ? trimmed.slice(1) : trimmed;
  return /^[1-9]\d{6,14}$/.test(digits) ? `+${digits}` : null;
}

/** The SIP URI the carrier dials to reach a WhatsApp consumer: `sip:+<to>@wa.meta.vc;transport=tls`. */
export function whatsappSipUri(consumer: string): string {
  const waId = normalizeWaId(consumer);
  if (!waId) throw new Error(`not an E.164 WhatsApp id: ${consumer}`);
  return `sip:${waId}@${WHATSAPP_SIP_DOMAIN};transport=tls`;
}

/** Meta's SIP digest user name for a business number: its E.164 digits, without the `+`. */
export function whatsappSipUsername(businessNumber: string): string {
  return businessNumber.replace(/\D/g, '');
}

/** The public call link: `https://wa.me/call/<digits>`. */
export function callDeepLink(businessNumber: string): string {
  return `https://wa.me/call/${businessNumber.replace(/\D/g, '')}`;
}

/** A forward destination: `tel:+E164`, `sip:`/`sips:` URI, or `ws(s)://` URL. */
export const FORWARD_TO_PATTERN = /^(tel:\+[1-9]\d{6,14}|sips?:[^\s@]+@[^\s@]+|sips?:[^\s@]+|wss?:\/\/\S+)$/;

/**
 * The host a forward destination connects to, as the WHATWG URL parser normalizes it (so
 * `0x7f.1` is `127.0.0.1`, brackets dropped from IPv6): a `sip:`/`sips:` URI's host (after the
 * user part, before the port, parameters and headers), a `ws(s)://` URL's; null for `tel:` or
 * when there is no valid host.
 */
export function forwardToHost(forwardTo: string): string | null {
  const sip = /^sips?:(.*)$/i.exec(forwardTo);
  if (!sip && !/^wss?:\/\//i.test(forwardTo)) return null;
  // A SIP host:port is read as a ws:// authority, which gets the same IPv4 and IPv6 normalization.
  const url = sip ? `ws://${sip[1].slice(sip[1].lastIndexOf('@') + 1).split(/[;?]/)[0]}` : forwardTo;
  try {
    return new URL(url).hostname.replace(/^\[(.*)\]$/, '$1') || null;
  } catch {
    return null;
  }
}

/**
 * Null when calls may be forwarded to `forwardTo`, else why not (for a 400). A `sip:` or `ws(s)://`
 * destination must not point at a private, loopback, link-local or otherwise non-public IP
 * address: the destination rules of customer webhooks (`isAllowedDestination`), loopback (and
 * `localhost`) only where `allowLoopback` (local development). A host name is not resolved here.
 */
export function checkForwardTo(forwardTo: string, policy: { allowLoopback: boolean }): string | null {
  if (/^tel:/i.test(forwardTo)) return null;
  const host = forwardToHost(forwardTo);
  if (host === null) return 'forwardTo has no valid host';
  if (host === 'localhost' || host.endsWith('.localhost')) return policy.allowLoopback ? null : `forwardTo points to ${host} (loopback): calls are forwarded to public addresses only`;
  if (isIP(host) === 0 || isAllowedDestination(host, policy.allowLoopback)) return null;
  return `forwardTo points to ${host} (${forbiddenAddressReason(host)}): calls are forwarded to public addresses only`;
}

/** Our call id as the carrier's `client_state` (base64, as Telnyx requires): every call webhook echoes it. */
export function callClientState(callId: string): string {
  return Buffer.from(`call:${callId}`, 'utf8').toString('base64');
}

/** The call id a `client_state` carries, or null when it is not one of ours. */
export function callIdFromClientState(clientState: unknown): string | null {
  if (typeof clientState !== 'string' || clientState === '') return null;
  const decoded = Buffer.from(clientState, 'base64').toString('utf8');
  const match = /^call:([0-9a-f]{24})$/.exec(decoded);
  return match ? match[1] : null;
}
