import { DomainError, type KycIssue } from '@numbers/domain';

/**
 * A 400 naming every field at fault: `param` and the message are the first issue's, and
 * `details.issues` lists them all (`[{param, message}]`), so a client fixes them in one go.
 */
export function kycValidationError(issues: KycIssue[]): DomainError {
  const [first] = issues;
  return new DomainError('VALIDATION_FAILED', `Invalid ${first.param}: ${first.message}`, {
    param: first.param,
    details: { issues: issues.map(({ param, message }) => ({ param, message })) },
  });
}

export function throwIfIssues(issues: KycIssue[]): void {
  if (issues.length > 0) throw kycValidationError(issues);
}
