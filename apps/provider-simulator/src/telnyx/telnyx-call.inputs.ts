import { ProviderReplyError } from '../shared/provider-reply';
import type { InboundCallScript } from '../state/telnyx-call.store';
import { telnyxError } from './telnyx-errors';

/** What the Call Control routes hand `TelnyxCalls`: a dial, a consumer's call, the commands on a call; and the refusals of a command. */

export interface DialInput {
  connectionId: string;
  from: string;
  to: string;
  sipAuthUsername: string | null;
  sipAuthPassword: string | null;
  sipTransportProtocol: string | null;
  clientState: string | null;
  commandId: string | null;
  timeoutSecs: number;
  record: boolean;
}

/** A consumer's call Meta sends the carrier over SIP, on the business number's connection. */
export interface IncomingCallInput {
  connectionId: string;
  consumer: string;
  business: string;
  metaCallId: string;
  script: InboundCallScript;
}

export interface AnswerInput {
  clientState: string | null;
  commandId: string | null;
  record: boolean;
  streamUrl: string | null;
}

export interface TransferInput {
  to: string;
  from: string | null;
  targetLegClientState: string | null;
  commandId: string | null;
  timeoutSecs: number;
}

/** Telnyx's answer to a command on a call that has ended. */
export function callHasEnded(): ProviderReplyError {
  return new ProviderReplyError(telnyxError(422, '90018', 'Call has already ended', 'This call is no longer active and can\'t receive commands.'));
}

/** A command the call cannot take in its state. */
export function invalidCommand(detail: string): ProviderReplyError {
  return new ProviderReplyError(telnyxError(422, '90015', 'Invalid Call Control command', detail));
}
