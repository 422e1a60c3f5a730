import { createZodValidationPipe } from 'nestjs-zod';

/**
 * Validates every `@Body()`, `@Query()` and `@Param()` typed with a DTO made by `createZodDto`
 * from the request schemas (`*.params.ts`), which are also what the OpenAPI document is
 * generated from. A failure is the ZodError itself, which ApiExceptionFilter answers as 400
 * naming the field; a parameter of any other type passes untouched.
 */
export const ZodValidationPipe = createZodValidationPipe({ createValidationException: (error) => error as Error });
