import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { DomainError } from '@numbers/domain';
import type { AuthenticatedAccount, AuthenticatedRequest } from './authenticated-request';

/** The authenticated caller of a /v1 route. */
export const CurrentAccount = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthenticatedAccount => {
  const auth = ctx.switchToHttp().getRequest<AuthenticatedRequest>().auth;
  if (!auth) throw new DomainError('UNAUTHORIZED', 'Unauthorized');
  return auth;
});
