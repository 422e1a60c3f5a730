import type { Metadata } from '../state/stripe.store';
import { parameterInvalid, parameterMissing } from './stripe-errors';

/** A form body decoded by `qs`: nested objects, arrays and string leaves. */
export type StripeParams = Record<string, unknown>;

export function asParams(body: unknown): StripeParams {
  return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as StripeParams) : {};
}

export function optionalString(params: StripeParams, name: string, label = name): string | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw parameterInvalid(label, `Invalid string: ${label}`, 'parameter_invalid_string');
  return value;
}

export function requiredString(params: StripeParams, name: string, label = name): string {
  const value = optionalString(params, name, label);
  if (value === undefined || value === '') throw parameterMissing(label);
  return value;
}

export function optionalInteger(params: StripeParams, name: string, label = name, min = 0): number | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^-?\d+$/.test(value) || Number(value) < min) {
    throw parameterInvalid(label, `Invalid integer: ${String(value)}`);
  }
  return Number(value);
}

export function optionalBoolean(params: StripeParams, name: string, label = name): boolean | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (value !== 'true' && value !== 'false') {
    throw parameterInvalid(label, `Invalid boolean: ${String(value)}`, 'parameter_invalid_boolean');
  }
  return value === 'true';
}

export function optionalEnum<T extends string>(params: StripeParams, name: string, allowed: readonly T[]): T | undefined {
  const value = optionalString(params, name);
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw parameterInvalid(name, `Invalid ${name}: must be one of ${allowed.join(', ')}`, 'parameter_invalid_string');
  }
  return value as T;
}

/** `metadata[key]=value` pairs; an empty string is kept so updates can unset keys. */
export function optionalMetadata(params: StripeParams, name = 'metadata'): Metadata | undefined {
  const value = params[name];
  if (value === undefined || value === '') return value === '' ? {} : undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw parameterInvalid(name, `Invalid object: ${name}`, 'parameter_invalid_object');
  }
  const metadata: Metadata = {};
  for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
    if (typeof entry !== 'string') throw parameterInvalid(`${name}[${key}]`, `Invalid string: ${name}[${key}]`, 'parameter_invalid_string');
    metadata[key] = entry;
  }
  return metadata;
}

/** `items[0][price]=…` decoded to a list; qs turns large indices into objects, so both are read. */
export function optionalList(params: StripeParams, name: string): StripeParams[] | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  const entries = Array.isArray(value)
    ? value
    : value !== null && typeof value === 'object'
      ? Object.entries(value as Record<string, unknown>)
          .sort(([a], [b]) => Number(a) - Number(b))
          .map(([, entry]) => entry)
      : null;
  if (!entries) throw parameterInvalid(name, `Invalid array: ${name}`, 'parameter_invalid_array');
  return entries.map((entry, index) => {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      throw parameterInvalid(`${name}[${index}]`, `Invalid object: ${name}[${index}]`, 'parameter_invalid_object');
    }
    return entry as StripeParams;
  });
}

export function withoutEmptyValues(metadata: Metadata): Metadata {
  return Object.fromEntries(Object.entries(metadata).filter(([, value]) => value !== ''));
}
