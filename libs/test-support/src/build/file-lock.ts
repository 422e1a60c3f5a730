import fs from 'node:fs';

export interface FileLockOptions {
  /** Give up waiting after this long; default 10 minutes. */
  waitTimeoutMs?: number;
  pollMs?: number;
}

/**
 * Runs `work` while holding `lockPath`, a file created exclusively and holding the owner's
 * pid; processes (jest workers, other jest runs) wait their turn. A lock whose owner has died
 * is taken over.
 */
export async function withFileLock<T>(lockPath: string, work: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  const { waitTimeoutMs = 10 * 60_000, pollMs = 200 } = options;
  const deadline = Date.now() + waitTimeoutMs;
  while (!tryAcquire(lockPath)) {
    if (Date.now() > deadline) {
      throw new Error(`waited ${waitTimeoutMs} ms for ${lockPath} (held by pid ${ownerOf(lockPath)})`);
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  try {
    return await work();
  } finally {
    fs.rmSync(lockPath, { force: true });
  }
}

function tryAcquire(lockPath: string): boolean {
  try {
    fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const owner = ownerOf(lockPath);
  if (owner !== undefined && !isAlive(owner)) fs.rmSync(lockPath, { force: true });
  return false;
}

function ownerOf(lockPath: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(lockPath, 'utf8'));
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
