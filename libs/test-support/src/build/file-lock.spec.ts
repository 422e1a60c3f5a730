import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { withFileLock } from './file-lock';

describe('withFileLock', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'file-lock-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('lets one holder in at a time', async () => {
    const lock = path.join(dir, 'build.lock');
    let inside = 0;
    let mostInside = 0;
    const work = async () => {
      inside += 1;
      mostInside = Math.max(mostInside, inside);
      await new Promise((resolve) => setTimeout(resolve, 50));
      inside -= 1;
    };
    await Promise.all([1, 2, 3].map(() => withFileLock(lock, work, { pollMs: 10 })));
    expect(mostInside).toBe(1);
    expect(fs.existsSync(lock)).toBe(false);
  });

  it('takes over a lock whose owner has died', async () => {
    const lock = path.join(dir, 'build.lock');
    fs.writeFileSync(lock, '2147483646');
    await expect(withFileLock(lock, async () => 'done', { pollMs: 10, waitTimeoutMs: 1000 })).resolves.toBe('done');
  });

  it('releases the lock when the work fails', async () => {
    const lock = path.join(dir, 'build.lock');
    await expect(withFileLock(lock, () => Promise.reject(new Error('build failed')))).rejects.toThrow('build failed');
    expect(fs.existsSync(lock)).toBe(false);
  });
});
