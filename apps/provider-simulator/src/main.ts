import { loadConfig, simulatorConfigSchema } from '@numbers/config';
import { createSimulator } from './simulator.app';

async function main(): Promise<void> {
  const config = loadConfig(simulatorConfigSchema);
  const app = createSimulator(config);
  await app.listen({ port: config.SIMULATOR_PORT, host: config.SIMULATOR_HOST });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void app.close().then(() => process.exit(0)));
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
