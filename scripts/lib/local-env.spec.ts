import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { localEnv, REPO_ROOT } from './local-env';

const file = parseEnv(readFileSync(join(REPO_ROOT, 'env', 'local.env'), 'utf8'));

describe('localEnv (what npm start gives the processes)', () => {
  it('is env/local.env when the environment says nothing', () => {
    expect(localEnv({})).toEqual(file);
  });

  it('lets the environment override a listed setting and adds one the file does not list', () => {
    expect(file['TELNYX_MESSAGING_PROFILE_ID']).toBeUndefined();
    const env = localEnv({
      DATABASE_URL: 'postgresql://postgres@db.example:5432/numbers',
      TELNYX_MESSAGING_PROFILE_ID: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
      UNSET: undefined,
    });
    expect(env).toEqual({
      ...file,
      DATABASE_URL: 'postgresql://postgres@db.example:5432/numbers',
      TELNYX_MESSAGING_PROFILE_ID: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
    });
  });

  it('reads the process environment by default', () => {
    process.env['NUMBERS_LOCAL_ENV_SPEC_SETTING'] = 'passed through';
    try {
      expect(localEnv()['NUMBERS_LOCAL_ENV_SPEC_SETTING']).toBe('passed through');
    } finally {
      delete process.env['NUMBERS_LOCAL_ENV_SPEC_SETTING'];
    }
  });
});
