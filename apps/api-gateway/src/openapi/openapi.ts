import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

export const OPENAPI_JSON_PATH = 'v1/openapi.json';
export const SWAGGER_UI_PATH = 'docs';

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Numbers API')
    .setDescription(
      'WhatsApp business phone numbers: list, inspect, release, countries. Wire-compatible with the ' +
        '`@zernio/node` SDK. Every response carries X-Request-Id; /v1 responses carry X-RateLimit-Limit, ' +
        'X-RateLimit-Remaining and X-RateLimit-Reset (Unix seconds).',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'API key (nk_...)' }, 'apiKey')
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** The OpenAPI document at /v1/openapi.json and Swagger UI at /docs (both public). */
export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup(SWAGGER_UI_PATH, app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    raw: ['json'],
    customSiteTitle: 'Numbers API',
  });
}
