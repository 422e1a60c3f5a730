import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { cleanupOpenApiDoc } from 'nestjs-zod';

export const OPENAPI_JSON_PATH = 'v1/openapi.json';
export const SWAGGER_UI_PATH = 'docs';

const DESCRIPTION = `
WhatsApp business phone numbers, sold, provisioned, billed and called from through one API,
wire-compatible with Zernio's: the \`@zernio/node\` SDK (\`whatsappphonenumbers\`, \`whatsappcalling\`,
\`webhooks\`, and the stock watches of \`phonenumbers\`) works against it unchanged.

- **Numbers**: list, inspect and release them; the countries they are sold in; carrier inventory
  and availability; purchase (the first number through Stripe Checkout, later ones on the
  subscription). A number is billed from the moment it is \`active\`.
- **KYC**: countries that need identity review are bought through their KYC form (fields,
  document upload, address check), reviewed by the carrier, and corrected after a decline
  (remediation).
- **Calling**: enable WhatsApp calling on a number (SIP to the carrier, forwarding to \`tel:\`,
  \`sip:\` or \`wss:\`), ask a consumer's permission, place calls, read the call log.
- **Webhooks**: endpoints that receive number, call and stock events.

**Auth.** \`Authorization: Bearer <API key>\` on every \`/v1\` call. A missing, malformed,
revoked or unknown key is \`401 {"error":"Unauthorized"}\` and nothing else. Another account's
number, call or webhook is \`404\`, never \`403\`. Requests are rate-limited per key: \`429\` with
\`X-RateLimit-Limit\`, \`X-RateLimit-Remaining\` and \`X-RateLimit-Reset\` (Unix seconds) on every
\`/v1\` answer.

**Idempotency.** Purchase, KYC submission, remediation and placing a call take an
\`Idempotency-Key\` header (up to 255 printable characters, kept 24 h): a retry with the same key
and body replays the first answer (\`Idempotent-Replayed: true\`); another body under the same
key is \`422 IDEMPOTENCY_KEY_REUSED\`; while the first is still running, \`409
IDEMPOTENCY_KEY_IN_FLIGHT\`. \`purchaseIntentId\` (purchase) and \`submissionId\` (KYC) make a
retried purchase answer what the first one bought.

**Errors.** One body: \`{error, code?, type?, param?, details?}\`. \`400 VALIDATION_FAILED\`
names the field at fault in \`param\`; the parameters and bodies below are the schemas the
gateway validates with. \`code\` is stable (e.g. \`NUMBER_NOT_ACTIVE\`, \`PLAN_LIMIT_REACHED\`,
\`CALL_PERMISSION_REQUIRED\`). \`5xx\` is our fault or a provider being down (\`503
PAYMENTS_UNAVAILABLE\`, \`CARRIER_UNAVAILABLE\`: nothing was done, retry). Every answer carries \`X-Request-Id\` (yours when you send a sane one).

**Webhooks.** Each event is one signed \`POST\` to each subscribed endpoint, with
\`X-Zernio-Event-Id\` (the same on every retry and redelivery), \`X-Zernio-Timestamp\` and
\`X-Zernio-Signature: sha256=HMAC-SHA256(secret, "<timestamp>.<raw body>")\`. A 2xx within 10 s
is success; anything else is retried with backoff for about a day. The body of number events is
\`WebhookPayloadPhoneNumber\` below; call events are the SDK's \`WebhookPayloadCall*\`.
`.trim();

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Numbers API')
    .setDescription(DESCRIPTION)
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'API key (nk_...)' }, 'apiKey')
    .build();
  // The request parameters and bodies come from the zod schemas that validate them
  // (createZodDto); cleanupOpenApiDoc turns nestjs-zod's intermediate form into plain OpenAPI.
  return cleanupOpenApiDoc(SwaggerModule.createDocument(app, config));
}

/** The OpenAPI document at /v1/openapi.json and Swagger UI at /docs (both public). */
export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup(SWAGGER_UI_PATH, app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    raw: ['json'],
    customSiteTitle: 'Numbers API',
  });
}
