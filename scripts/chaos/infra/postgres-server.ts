import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { eventually, freePort } from '@numbers/test-support';
import { postgresAnswers } from '../../lib/services';

const BIN = '/usr/lib/postgresql/15/bin';

/** A PostgreSQL server of the chaos run's own: a fresh cluster in a temp dir, on a free port. */
export interface PostgresServer {
  readonly url: string;
  /** `pg_ctl -m immediate stop`: the postmaster quits every backend at once, no checkpoint (a crash, recovered from WAL at start). */
  stopImmediate(): Promise<void>;
  start(): Promise<void>;
  /** Stops it for good and deletes its files. */
  destroy(): Promise<void>;
}

/** The server runs as the `postgres` user (it refuses root); this process may be root. */
function postgresUser(): { uid: number; gid: number } {
  const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  return { uid: id('-u'), gid: id('-g') };
}

/** `logFile`: where the server's log goes (a deadlock's detail, a recovery), appended over restarts. */
export async function startPostgresServer(logFile: string): Promise<PostgresServer> {
  const user = postgresUser();
  const dir = mkdtempSync(join(tmpdir(), 'numbers-chaos-pg-'));
  chownSync(dir, user.uid, user.gid);
  const dataDir = join(dir, 'data');
  const initdb = spawnSync(`${BIN}/initdb`, ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync'], { ...user, cwd: dir, encoding: 'utf8' });
  if (initdb.status !== 0) throw new Error(`initdb failed: ${initdb.stderr}`);
  const port = await freePort();
  const url = `postgresql://postgres@127.0.0.1:${port}/numbers`;
  let postmaster: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const start = async () => {
    // fsync off: the machine is shared and the run measures our recovery, not the disk's (a stopped
    // server's writes are still in the OS's cache). synchronous_commit stays on, as in production:
    // off, an immediate stop loses transactions already reported committed, whose jobs Redis holds.
    const args = ['-D', dataDir, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-c', 'fsync=off', '-c', 'full_page_writes=off'];
    const log = openSync(logFile, 'a');
    const child = spawn(`${BIN}/postgres`, args, { ...user, cwd: dir, stdio: ['ignore', log, log] });
    closeSync(log);
    postmaster = child;
    // Whatever way this process ends, the server does not outlive it.
    const orphanGuard = () => child.kill('SIGQUIT');
    process.once('exit', orphanGuard);
    exited = new Promise((resolve) =>
      child.once('exit', () => {
        process.removeListener('exit', orphanGuard);
        resolve();
      }),
    );
    await eventually('PostgreSQL accepting connections', () => postgresAnswers(`postgresql://postgres@127.0.0.1:${port}/postgres`), 60_000);
  };
  const stopImmediate = async () => {
    postmaster?.kill('SIGQUIT');
    await exited;
    postmaster = undefined;
  };

  await start();
  const admin = new Client({ connectionString: `postgresql://postgres@127.0.0.1:${port}/postgres` });
  await admin.connect();
  await admin.query('CREATE DATABASE numbers');
  await admin.end();
  return {
    url,
    start,
    stopImmediate,
    async destroy() {
      if (postmaster) {
        postmaster.kill('SIGQUIT');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
