import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SimulatorContext } from '../simulator.context';
import type { MetaNumberRecord } from '../state/meta.store';
import { invalidParameter } from './meta-errors';

type Edge = { Params: { version: string; phoneNumberId: string } };

/**
 * WhatsApp calling on Graph: `POST /{id}/settings {calling:{status, call_icon_visibility,
 * sip:{status, servers:[{hostname, port}]}}}` (enabling SIP issues the number's SIP digest
 * password), `GET /{id}/settings[?include_sip_credentials=true]`, `POST /{id}/messages` with an
 * interactive `call_permission_request` (the window and Meta's limits apply), and
 * `GET /{id}/call_permissions?user_wa_id=`.
 */
export function registerMetaCallingRoutes(
  app: FastifyInstance,
  { state, services }: SimulatorContext,
  find: (method: string, params: Edge['Params']) => MetaNumberRecord,
): void {
  const store = state.metaCalling;

  app.post<Edge>('/:version/:phoneNumberId/settings', async (request) => {
    const record = find('POST', request.params);
    const calling = paramsOf(request)['calling'];
    if (!isRecord(calling)) throw invalidParameter('The parameter calling is required');
    const status = upper(calling['status'], 'calling.status');
    const sip = isRecord(calling['sip']) ? calling['sip'] : null;
    const sipStatus = sip ? upper(sip['status'], 'calling.sip.status') : 'DISABLED';
    const servers = sip && Array.isArray(sip['servers']) ? sip['servers'].filter(isRecord) : [];
    if (sipStatus === 'ENABLED' && servers.length === 0) throw invalidParameter('calling.sip.servers must list at least one server when SIP is enabled');
    const parsedServers = servers.map((server, i) => {
      if (typeof server['hostname'] !== 'string' || server['hostname'] === '') throw invalidParameter(`calling.sip.servers[${i}].hostname is required`);
      const port = Number(server['port'] ?? 5061);
      if (!Number.isInteger(port) || port < 1 || port > 65535) throw invalidParameter(`calling.sip.servers[${i}].port must be a port number`);
      return { hostname: server['hostname'], port };
    });
    const previous = store.settingsOf(record.id);
    store.saveSettings({
      numberId: record.id,
      status,
      callIconVisibility: typeof calling['call_icon_visibility'] === 'string' ? calling['call_icon_visibility'] : 'DEFAULT',
      sip: { status: sipStatus, servers: sipStatus === 'ENABLED' ? parsedServers : (previous?.sip.servers ?? []) },
      sipPassword: previous?.sipPassword ?? (sipStatus === 'ENABLED' ? randomBytes(18).toString('base64url') : null),
      updatedAt: new Date().toISOString(),
    });
    return { success: true };
  });

  app.get<Edge & { Querystring: { include_sip_credentials?: string } }>('/:version/:phoneNumberId/settings', async (request) => {
    const record = find('GET', request.params);
    const settings = store.settingsOf(record.id);
    const withCredentials = request.query.include_sip_credentials === 'true';
    return {
      calling: {
        status: settings?.status ?? 'DISABLED',
        call_icon_visibility: settings?.callIconVisibility ?? 'DEFAULT',
        sip: {
          status: settings?.sip.status ?? 'DISABLED',
          servers: (settings?.sip.servers ?? []).map((server) => ({
            ...server,
            ...(withCredentials && settings?.sip.status === 'ENABLED' && settings.sipPassword ? { sip_user_password: settings.sipPassword } : {}),
          })),
        },
      },
    };
  });

  app.post<Edge>('/:version/:phoneNumberId/messages', async (request) => {
    const record = find('POST', request.params);
    const params = paramsOf(request);
    if (params['messaging_product'] !== 'whatsapp') throw invalidParameter('Param messaging_product must be whatsapp');
    const to = typeof params['to'] === 'string' ? params['to'].replace(/\D/g, '') : '';
    if (!/^\d{7,15}$/.test(to)) throw invalidParameter('Param to must be a WhatsApp id (phone number)');
    const interactive = isRecord(params['interactive']) ? params['interactive'] : null;
    if (params['type'] !== 'interactive' || interactive?.['type'] !== 'call_permission_request') {
      throw invalidParameter('Only interactive call_permission_request messages are simulated');
    }
    const body = isRecord(interactive['body']) && typeof interactive['body']['text'] === 'string' ? interactive['body']['text'] : null;
    if (body !== null && body.length > 1024) throw invalidParameter('Param interactive.body.text must be at most 1024 characters');
    const { messageId } = services.metaCalling.sendPermissionRequest(record, to, body);
    return { messaging_product: 'whatsapp', contacts: [{ input: String(params['to']), wa_id: to }], messages: [{ id: messageId }] };
  });

  app.get<Edge & { Querystring: { user_wa_id?: string } }>('/:version/:phoneNumberId/call_permissions', async (request) => {
    const record = find('GET', request.params);
    const consumer = (request.query.user_wa_id ?? '').replace(/\D/g, '');
    if (!/^\d{7,15}$/.test(consumer)) throw invalidParameter('The parameter user_wa_id is required');
    return services.metaCalling.permissionsOf(record, consumer);
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function upper(value: unknown, name: string): 'ENABLED' | 'DISABLED' {
  const text = typeof value === 'string' ? value.toUpperCase() : '';
  if (text !== 'ENABLED' && text !== 'DISABLED') throw invalidParameter(`Param ${name} must be one of {ENABLED, DISABLED}`);
  return text;
}

/** Graph reads parameters from the query string and the body alike. */
function paramsOf(request: FastifyRequest): Record<string, unknown> {
  const body = isRecord(request.body) ? request.body : {};
  return { ...(request.query as Record<string, unknown>), ...body };
}
