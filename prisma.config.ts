// Prisma 6.19 with no native engine: the CLI uses the WebAssembly schema engine through the
// pg driver adapter (see ../shared/notes/offline-toolchain.md). DATABASE_URL must be set.
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';

// Without DATABASE_URL the CLI falls back to downloading a native engine, which fails offline.
process.env.DATABASE_URL ??= 'postgresql://postgres@127.0.0.1:5432/numbers';

function adapterConfig() {
  const url = new URL(process.env.DATABASE_URL as string);
  return {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username || 'postgres'),
    password: decodeURIComponent(url.password),
    database: url.pathname.slice(1) || 'numbers',
  };
}

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations'), seed: 'node scripts/run-ts.js prisma/seed.ts' },
  async adapter() {
    return new PrismaPg(adapterConfig());
  },
});
