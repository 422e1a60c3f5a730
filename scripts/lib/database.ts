import { AppConfig } from '@numbers/config';
import { PrismaService } from '@numbers/persistence';
import { localEnv } from './local-env';

/** A Prisma client for scripts, configured like the apps (env/local.env under the environment). */
export async function withDatabase<T>(work: (db: PrismaService) => Promise<T>): Promise<T> {
  const db = new PrismaService(AppConfig.fromEnv(localEnv()));
  await db.$connect();
  try {
    return await work(db);
  } finally {
    await db.$disconnect();
  }
}
