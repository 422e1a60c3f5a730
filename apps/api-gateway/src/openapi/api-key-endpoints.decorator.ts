import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ErrorDto, UnauthorizedDto } from '../numbers/phone-numbers.dto';

/**
 * What every controller behind an API key documents: its tag, the bearer key, and the answers
 * the guard and the rate limiter give before any route runs (401, 429 RATE_LIMITED).
 */
export function ApiKeyEndpoints(tag: string): ClassDecorator {
  return applyDecorators(
    ApiTags(tag),
    ApiBearerAuth('apiKey'),
    ApiUnauthorizedResponse({ type: UnauthorizedDto, description: 'Missing, malformed, revoked or unknown API key' }),
    ApiTooManyRequestsResponse({ type: ErrorDto, description: 'Rate limit per API key exceeded (code RATE_LIMITED)' }),
  );
}
