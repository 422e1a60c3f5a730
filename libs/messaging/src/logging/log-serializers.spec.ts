import { stdSerializers } from 'pino';
import { errorWithoutRowValues } from './log-serializers';

/** An error as pg raises it for a unique violation. */
function uniqueViolation(): Error {
  return Object.assign(new Error('duplicate key value violates unique constraint "phone_numbers_phone_number_key"'), {
    code: '23505',
    detail: 'Key (phone_number)=(+14155550100) already exists.',
    where: 'SQL function "claim" statement 1: +14155550100',
    constraint: 'phone_numbers_phone_number_key',
    table: 'phone_numbers',
  });
}

describe('errorWithoutRowValues', () => {
  it("drops pg's detail and where, keeping what names the fault", () => {
    const logged = errorWithoutRowValues(stdSerializers.err(uniqueViolation()));
    expect(logged).toMatchObject({ type: 'Error', code: '23505', constraint: 'phone_numbers_phone_number_key', table: 'phone_numbers' });
    expect(JSON.stringify(logged)).not.toContain('+14155550100');
  });

  it('in the errors an error holds too, without touching the original', () => {
    const original = uniqueViolation();
    const aggregate = new AggregateError([original], 'two writes failed');
    const wrapped = Object.assign(new Error('unit of work failed'), { failure: uniqueViolation() });
    for (const error of [aggregate, wrapped]) expect(JSON.stringify(errorWithoutRowValues(stdSerializers.err(error)))).not.toContain('+14155550100');
    expect(original).toMatchObject({ detail: expect.stringContaining('+14155550100') });
    expect(errorWithoutRowValues('not an error')).toBe('not an error');
  });
});
