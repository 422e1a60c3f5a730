import { generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { AppConfig, type SimulatorConfig } from '@numbers/config';
import { META_CODE_SMS_SENDER } from '../meta/meta-code-sms.service';
import { createSimulator, type SimulatorOptions } from '../simulator.app';

export interface RunningSimulator {
  app: FastifyInstance;
  /** `http://127.0.0.1:<port>` */
  url: string;
  config: SimulatorConfig;
  /** Base64 raw Ed25519 public key matching the Telnyx signing key. */
  telnyxPublicKey: string;
  close(): Promise<void>;
}

/** A fresh Ed25519 pair: the simulator's signing key (base64 PEM) and the receiver's public key. */
export function telnyxTestKeys(): { privateKeyPemBase64: string; publicKeyBase64: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const der = publicKey.export({ format: 'der', type: 'spki' });
  return {
    privateKeyPemBase64: Buffer.from(pem).toString('base64'),
    publicKeyBase64: der.subarray(der.length - 32).toString('base64'),
  };
}

/** Starts a simulator of its own on a free port, for one test file. */
export async function startSimulator(
  overrides: Partial<SimulatorConfig> = {},
  options: SimulatorOptions = {},
): Promise<RunningSimulator> {
  const keys = telnyxTestKeys();
  const config: SimulatorConfig = {
    SIMULATOR_PORT: 0,
    SIMULATOR_HOST: '127.0.0.1',
    SIMULATOR_PUBLIC_URL: 'http://127.0.0.1:0',
    SIMULATOR_WEBHOOK_TARGET: 'http://127.0.0.1:9',
    STRIPE_WEBHOOK_SECRET: 'whsec_test_simulator',
    TELNYX_SIGNING_PRIVATE_KEY: keys.privateKeyPemBase64,
    META_APP_SECRET: 'meta_app_secret_test',
    LOG_LEVEL: 'silent',
    SIMULATOR_LATENCY: 'none',
    SIMULATOR_LATENCY_SEED: 1,
    ...overrides,
  };
  const app = createSimulator(config, options);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}`, config, telnyxPublicKey: keys.publicKeyBase64, close: () => app.close() };
}

/** The `AppConfig` a Numbers process would have with every provider pointed at `simulatorUrl`. */
export function appConfigFor(simulatorUrl: string, telnyxPublicKey: string): AppConfig {
  return AppConfig.fromEnv({
    DATABASE_URL: 'postgresql://unused@127.0.0.1:5432/unused',
    REDIS_URL: 'redis://127.0.0.1:6379',
    STRIPE_API_KEY: 'sk_test_simulator',
    STRIPE_API_BASE_URL: simulatorUrl,
    STRIPE_WEBHOOK_SECRET: 'whsec_test_simulator',
    STRIPE_PRICE_ID: 'price_numbers_monthly',
    TELNYX_API_KEY: 'KEY_test_simulator',
    TELNYX_API_BASE_URL: `${simulatorUrl}/v2`,
    TELNYX_PUBLIC_KEY: telnyxPublicKey,
    META_GRAPH_BASE_URL: `${simulatorUrl}/graph`,
    META_API_VERSION: 'v21.0',
    META_ACCESS_TOKEN: 'meta_token_test',
    META_APP_SECRET: 'meta_app_secret_test',
    SIP_CREDENTIALS_KEY: Buffer.alloc(32, 1).toString('base64'),
    WEBHOOK_SECRETS_KEY: Buffer.alloc(32, 2).toString('base64'),
    TWO_STEP_PIN_KEY: Buffer.alloc(32, 3).toString('base64'),
    KYC_SEALING_KEY: Buffer.alloc(32, 4).toString('base64'),
    WHATSAPP_CODE_SMS_SENDERS: META_CODE_SMS_SENDER,
  });
}

/** A JSON call to the simulator (control API or raw provider checks). */
export async function simFetch<T = unknown>(
  url: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: T; headers: Headers }> {
  const hasBody = init.body !== undefined;
  const response = await fetch(url, {
    method: init.method ?? (hasBody ? 'POST' : 'GET'),
    headers: { ...(hasBody ? { 'content-type': 'application/json' } : {}), ...init.headers },
    body: hasBody ? JSON.stringify(init.body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T, headers: response.headers };
}
