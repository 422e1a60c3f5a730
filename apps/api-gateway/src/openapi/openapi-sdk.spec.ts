// The OpenAPI document against the `@zernio/node` SDK: every SDK method we serve is an operation
// with each of the SDK's path parameters, query parameters, headers and body fields. The
// document is generated from the request schemas that validate, so this is also a check that
// the gateway accepts what the SDK sends.
import { type GatewayTestContext, startGatewayForTest } from '../testing/gateway-test-app';
import { type SdkOperation, sdkOperations } from '../testing/sdk-operations';

const GROUPS = ['whatsappphonenumbers', 'whatsappcalling', 'webhooks'] as const;
/** Of the SDK's `phonenumbers` group, we serve the stock watches. */
const STOCK_WATCHES = ['createPhoneNumberStockWatch', 'listPhoneNumberStockWatches', 'deletePhoneNumberStockWatch'];

/** SDK fields of served methods that Numbers ignores on purpose, with the reason. */
const NOT_ACCEPTED: Record<string, string> = {
  'createWebhookSettings body.disabledResourceGroups': "Zernio's API-key permission groups: Numbers keys have none",
  'updateWebhookSettings body.disabledResourceGroups': "Zernio's API-key permission groups: Numbers keys have none",
};

interface Parameter {
  name: string;
  in: string;
}
interface Operation {
  parameters?: Parameter[];
  security?: Record<string, unknown>[];
  responses: Record<string, { content?: unknown }>;
  requestBody?: { content: Record<string, { schema: Schema }> };
}
interface Schema {
  $ref?: string;
  properties?: Record<string, unknown>;
  allOf?: Schema[];
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

/** `/v1/x/{id}/y` and `/v1/x/{phoneNumberId}/y` are the same URL on the wire. */
const shape = (path: string) => path.replace(/\{[^}]+\}/g, '{}');

function bodyFields(doc: Document, operation: Operation): Set<string> {
  const fields = new Set<string>();
  const visit = (schema: Schema | undefined): void => {
    if (!schema) return;
    if (schema.$ref) return visit(doc.components.schemas[schema.$ref.replace('#/components/schemas/', '')]);
    for (const name of Object.keys(schema.properties ?? {})) fields.add(name);
    schema.allOf?.forEach(visit);
  };
  visit(operation.requestBody?.content['application/json']?.schema);
  return fields;
}

/** What the document lacks of one SDK method, one line each. */
function missing(doc: Document, sdk: SdkOperation): string[] {
  const method = `${sdk.name} (${sdk.method.toUpperCase()} ${sdk.url})`;
  const path = Object.keys(doc.paths).find((candidate) => shape(candidate) === shape(sdk.url) && doc.paths[candidate][sdk.method]);
  if (!path) return [`${method}: no such operation`];
  const operation = doc.paths[path][sdk.method];
  const parameters = operation.parameters ?? [];
  const has = (where: string, name: string) => parameters.some((p) => p.in === where && p.name.toLowerCase() === name.toLowerCase());
  const gaps: string[] = [];
  // Path parameters are positional on the wire: the document names each placeholder of its path.
  const placeholders = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
  if (placeholders.length !== sdk.path.length) gaps.push(`${method}: ${sdk.path.length} path parameters, the document's path has ${placeholders.length}`);
  for (const name of placeholders) if (!has('path', name)) gaps.push(`${method}: path parameter ${name}`);
  for (const name of sdk.query) if (!has('query', name)) gaps.push(`${method}: query parameter ${name}`);
  for (const name of sdk.headers) if (!has('header', name)) gaps.push(`${method}: header ${name}`);
  if (sdk.hasBody && !operation.requestBody) gaps.push(`${method}: request body`);
  const fields = bodyFields(doc, operation);
  for (const name of sdk.body ?? []) {
    if (!fields.has(name) && !NOT_ACCEPTED[`${sdk.name} body.${name}`]) gaps.push(`${method}: body field ${name}`);
  }
  return gaps;
}

describe('OpenAPI document against the @zernio/node SDK', () => {
  let ctx: GatewayTestContext;
  let doc: Document;
  const operations = [...sdkOperations(GROUPS), ...sdkOperations(['phonenumbers']).filter((op) => STOCK_WATCHES.includes(op.name))];

  beforeAll(async () => {
    ctx = await startGatewayForTest();
    const res = await ctx.app.inject({ method: 'GET', url: '/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    doc = res.json();
  });

  afterAll(async () => {
    await ctx?.close();
  });

  it('reads the SDK: its methods, URLs and fields', () => {
    const initiate = operations.find((op) => op.name === 'initiateWhatsAppCall');
    expect(initiate).toMatchObject({ method: 'post', url: '/v1/whatsapp/calls', headers: ['Idempotency-Key'], body: expect.arrayContaining(['accountId', 'to', 'action']) });
    expect(operations.find((op) => op.name === 'getWhatsAppCall')).toMatchObject({ path: ['id'], query: ['accountId'] });
    expect(operations.filter((op) => op.group === 'webhooks').length).toBeGreaterThanOrEqual(7);
    expect(operations.filter((op) => STOCK_WATCHES.includes(op.name))).toHaveLength(3);
  });

  it('serves every SDK method, with every parameter and body field', () => {
    const gaps = operations.flatMap((op) => missing(doc, op));
    expect(gaps).toEqual([]);
  });

  it('documents the answer of every /v1 operation', () => {
    const undocumented = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/v1/'))
      .flatMap(([path, operations]) => Object.entries(operations).map(([method, operation]) => ({ name: `${method.toUpperCase()} ${path}`, operation })))
      .filter(({ operation }) => !Object.entries(operation.responses).some(([status, response]) => status.startsWith('2') && response.content))
      .map(({ name }) => name);
    expect(undocumented).toEqual([]);
  });

  it("documents the key's 401 and the rate limit's 429 on every operation behind an API key", () => {
    const keyed = Object.entries(doc.paths).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([, operation]) => operation.security?.some((scheme) => 'apiKey' in scheme))
        .map(([method, operation]) => ({ name: `${method.toUpperCase()} ${path}`, operation })),
    );
    expect(keyed.length).toBeGreaterThan(30);
    expect(keyed.filter(({ operation }) => !operation.responses['401'] || !operation.responses['429']).map(({ name }) => name)).toEqual([]);
  });

  it('fails naming what is missing', () => {
    const sdk = operations.find((op) => op.name === 'initiateWhatsAppCall') as SdkOperation;
    const stripped: Document = JSON.parse(JSON.stringify(doc));
    const operation = stripped.paths['/v1/whatsapp/calls'].post;
    operation.parameters = [];
    operation.requestBody = { content: { 'application/json': { schema: { properties: { accountId: {} } } } } };
    expect(missing(stripped, sdk)).toEqual(expect.arrayContaining(['initiateWhatsAppCall (POST /v1/whatsapp/calls): header Idempotency-Key', 'initiateWhatsAppCall (POST /v1/whatsapp/calls): body field to']));
  });
});
