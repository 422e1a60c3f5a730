import type { FastifyInstance } from 'fastify';
import type { MetaNumberRecord, MetaStore } from '../state/meta.store';
import { ProviderReplyError } from '../shared/provider-reply';
import { graphError, graphObjectMissing } from './meta-errors';
import { selectFields, toGraphBusinessAccount, toGraphPhoneNumber } from './meta-objects.mapper';

type PhoneNumberPath = { Params: { version: string; phoneNumberId: string }; Querystring: { fields?: string } };

const API_VERSION = /^v\d+\.\d+$/;

/**
 * `GET /graph/{version}/{phone-number-id}` (or `/{waba-id}`: Graph reads any node by its id);
 * `POST /graph/{version}/{phone-number-id}/deregister`.
 * Returns the lookup the other phone-number edges use (version checked, Graph's 400 when missing).
 */
export function registerMetaPhoneNumberRoutes(
  app: FastifyInstance,
  store: MetaStore,
): (method: string, params: PhoneNumberPath['Params']) => MetaNumberRecord {
  const find = (method: string, params: PhoneNumberPath['Params']): MetaNumberRecord => {
    if (!API_VERSION.test(params.version)) {
      throw new ProviderReplyError(graphError(400, 'OAuthException', 2500, `Unknown path components: /${params.version}`));
    }
    const record = store.find(params.phoneNumberId);
    if (!record) throw graphObjectMissing(method, params.phoneNumberId);
    return record;
  };

  app.get<PhoneNumberPath>('/:version/:phoneNumberId', async (request) => {
    const account = API_VERSION.test(request.params.version) && !store.find(request.params.phoneNumberId) ? store.findBusinessAccount(request.params.phoneNumberId) : undefined;
    if (account) return selectFields(toGraphBusinessAccount(account), request.query.fields);
    return selectFields(toGraphPhoneNumber(find('GET', request.params)), request.query.fields);
  });

  // Idempotent: a number that is not registered deregisters successfully again.
  app.post<PhoneNumberPath>('/:version/:phoneNumberId/deregister', async (request) => {
    store.deregister(find('POST', request.params));
    return { success: true };
  });
  return find;
}
