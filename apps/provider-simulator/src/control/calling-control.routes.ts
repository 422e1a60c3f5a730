import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CallingOffError, UnknownBusinessNumberError } from '../meta/meta-calling.service';
import type { SimulatorContext } from '../simulator.context';
import { DEFAULT_CALL_SCRIPT } from '../state/telnyx-call.store';
import { parseControlInput } from './control.schemas';

const e164 = z.string().regex(/^\+?[1-9]\d{6,14}$/, 'must be E.164, e.g. +447700900123');

const consumerMessageSchema = z.object({ to: e164, from: e164, text: z.string().min(1).max(4096).default('Hi') });

const permissionReplySchema = z.object({
  consumer: e164,
  business: e164.optional(),
  reply: z.enum(['allow_temporary', 'allow_permanent', 'refuse', 'ignore']),
  delayMs: z.number().int().min(0).max(600_000).default(0),
});

const callScriptSchema = z.object({
  outcome: z.enum(['answered', 'busy', 'no_answer', 'failed']).default(DEFAULT_CALL_SCRIPT.outcome),
  ringMs: z.number().int().min(0).max(600_000).default(DEFAULT_CALL_SCRIPT.ringMs),
  talkMs: z.number().int().min(0).max(3_600_000).nullable().default(DEFAULT_CALL_SCRIPT.talkMs),
  delivery: z.enum(['live', 'at_end']).default(DEFAULT_CALL_SCRIPT.delivery),
});

const consumerCallSchema = z.object({
  from: e164,
  to: e164,
  talkMs: z.number().int().min(0).max(3_600_000).nullable().default(null),
  giveUpMs: z.number().int().min(0).max(600_000).default(60_000),
  forward: z
    .object({ outcome: z.enum(['answered', 'busy', 'no_answer']).default('answered'), ringMs: z.number().int().min(0).max(600_000).default(0) })
    .default({}),
});

const queuedScriptSchema = callScriptSchema.extend({ times: z.number().int().min(1).max(10_000).default(1) });

type ByControlId = { Params: { callControlId: string } };
type ByRecordingFile = { Params: { file: string }; Querystring: { 'X-Amz-Expires'?: string } };

/** A few bytes that start like an MP3 file (an ID3 tag): what a recording download serves. */
const RECORDING_BYTES = Buffer.concat([Buffer.from('ID3\x04\x00\x00\x00\x00\x00\x00', 'latin1'), Buffer.alloc(256)]);

/**
 * WhatsApp calling scenarios:
 * - `POST /_sim/meta/consumers/messages {to, from, text?}`: a consumer writes to a business number
 *   (Meta's signed `messages` webhook; the 24-hour window opens at Meta).
 * - `POST /_sim/meta/consumers/permission-reply {consumer, business?, reply, delayMs?}`: how the
 *   consumer answers the prompt waiting for an answer, else the next one (allow_temporary,
 *   allow_permanent, refuse, ignore).
 * - `GET /_sim/meta/calling`: Meta's calling settings (with the SIP passwords), threads, messages sent.
 * - `GET|PUT /_sim/telnyx/calls/policy {outcome, ringMs, talkMs, delivery}`: how every call goes;
 *   `POST /_sim/telnyx/calls/next {…, times?}`: how the next calls go, before the policy.
 * - `GET /_sim/telnyx/calls`; `POST /_sim/telnyx/calls/:callControlId/hangup`: the consumer hangs up.
 * - `POST /_sim/meta/consumers/calls {from, to, talkMs?, giveUpMs?, forward?: {outcome, ringMs}}`:
 *   a consumer calls a business number; Meta (calling with SIP on, else 409) sends it to the
 *   carrier, which raises `call.initiated` (incoming) on the number's connection (none: 409) and
 *   waits for Call Control. The consumer hangs up `talkMs` after the answer (null: when told to).
 * - `GET /_sim/telnyx/recording-files/:id.mp3?X-Amz-Expires=`: a recording's bytes, until the
 *   signed URL expires (then 403, as S3 answers).
 */
export function registerCallingControlRoutes(app: FastifyInstance, { state, services }: SimulatorContext): void {
  app.post('/meta/consumers/messages', async (request, reply) => {
    const input = parseControlInput(consumerMessageSchema, request.body);
    try {
      return reply.code(202).send(services.metaCalling.consumerWrites({ business: plus(input.to), consumer: input.from, text: input.text }));
    } catch (error) {
      if (error instanceof UnknownBusinessNumberError) return reply.code(404).send({ error: error.message });
      throw error;
    }
  });

  app.post('/meta/consumers/permission-reply', async (request, reply) => {
    const input = parseControlInput(permissionReplySchema, request.body);
    try {
      const scripted = services.metaCalling.scriptReply({ ...input, business: input.business ? plus(input.business) : undefined });
      return reply.code(201).send({ scripted });
    } catch (error) {
      if (error instanceof UnknownBusinessNumberError) return reply.code(404).send({ error: error.message });
      throw error;
    }
  });

  app.get('/meta/calling', async () => state.metaCalling.dump());

  app.get('/telnyx/calls/policy', async () => ({ policy: state.telnyxCalls.policy, queued: state.telnyxCalls.queuedScripts() }));
  app.put('/telnyx/calls/policy', async (request) => {
    state.telnyxCalls.policy = parseControlInput(callScriptSchema, request.body);
    return { policy: state.telnyxCalls.policy };
  });
  app.post('/telnyx/calls/next', async (request, reply) => {
    const { times, ...script } = parseControlInput(queuedScriptSchema, request.body);
    state.telnyxCalls.queue(script, times);
    return reply.code(201).send({ queued: state.telnyxCalls.queuedScripts() });
  });

  app.post('/meta/consumers/calls', async (request, reply) => {
    const input = parseControlInput(consumerCallSchema, request.body);
    const business = plus(input.to);
    const number = state.telnyx.findLiveByPhoneNumber(business);
    if (!number?.connectionId) return reply.code(409).send({ error: `${business} is not routed to a connection at the carrier` });
    let metaCallId: string;
    try {
      ({ metaCallId } = services.metaCalling.consumerCalls({ business, consumer: plus(input.from) }));
    } catch (error) {
      if (error instanceof UnknownBusinessNumberError) return reply.code(404).send({ error: error.message });
      if (error instanceof CallingOffError) return reply.code(409).send({ error: error.message });
      throw error;
    }
    const call = services.telnyxCalls.receive({
      connectionId: number.connectionId,
      consumer: plus(input.from),
      business,
      metaCallId,
      script: { talkMs: input.talkMs, giveUpMs: input.giveUpMs, forward: input.forward },
    });
    return reply.code(201).send({ callControlId: call.callControlId, metaCallId });
  });

  app.get<ByRecordingFile>('/telnyx/recording-files/:file', async (request, reply) => {
    const id = request.params.file.replace(/\.mp3$/, '');
    if (!state.telnyxCalls.recording(id)) return reply.code(404).send({ error: `no recording ${id}` });
    const expires = Number(request.query['X-Amz-Expires']);
    if (!Number.isFinite(expires) || expires * 1000 < Date.now()) return reply.code(403).send({ error: 'Request has expired' });
    return reply.type('audio/mpeg').send(RECORDING_BYTES);
  });

  app.get('/telnyx/calls', async () => ({ calls: state.telnyxCalls.list(), recordings: state.telnyxCalls.listRecordings() }));
  app.post<ByControlId>('/telnyx/calls/:callControlId/hangup', async (request, reply) => {
    const call = services.telnyxCalls.hangup(request.params.callControlId);
    if (!call) return reply.code(404).send({ error: `no call ${request.params.callControlId}` });
    return { call };
  });
}

function plus(phone: string): string {
  return phone.startsWith('+') ? phone : `+${phone}`;
}
