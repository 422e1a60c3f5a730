import type { PipeTransform } from '@nestjs/common';
import type { ZodTypeAny, z } from 'zod';

/** Parses a request part with a zod schema; a failure is a ZodError (400 naming the field). */
export class ZodValidationPipe<S extends ZodTypeAny> implements PipeTransform<unknown, z.infer<S>> {
  constructor(private readonly schema: S) {}

  transform(value: unknown): z.infer<S> {
    return this.schema.parse(value);
  }
}
