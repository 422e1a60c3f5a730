import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { testRunId } from '../harness-env';
import { workspaceRoot } from '../workspace-root';
import { withFileLock } from './file-lock';

// Shared with global teardown, which removes the run's directory (plain CommonJS, typed here).
const { harnessTempDir, runTempDir } = require('../jest/harness-temp-dir') as {
  harnessTempDir(): string;
  runTempDir(runId: string): string;
};

export interface EnsureBuiltOptions {
  /** Default 5 minutes. */
  timeoutMs?: number;
}

const OUTPUT_TAIL_CHARS = 6000;

/**
 * Builds the Nx projects end-to-end tests start (`nx run-many -t build -p ...`), at most once
 * per project per test run; Nx's cache makes an unchanged project's build a copy. Builds are
 * serialized through a lock file shared by every jest worker and every jest run in this
 * workspace, so no two builds write the same dist/ folder at once.
 */
export async function ensureBuilt(projects: string[], options: EnsureBuiltOptions = {}): Promise<void> {
  const workDir = harnessTempDir();
  const runDir = runTempDir(testRunId());
  fs.mkdirSync(runDir, { recursive: true });
  const builtMarker = (project: string) => path.join(runDir, `built-${project}`);
  await withFileLock(path.join(workDir, 'nx-build.lock'), async () => {
    const missing = [...new Set(projects)].filter((project) => !fs.existsSync(builtMarker(project)));
    if (missing.length === 0) return;
    await runNxBuild(missing, options.timeoutMs ?? 5 * 60_000);
    for (const project of missing) fs.writeFileSync(builtMarker(project), new Date().toISOString());
  });
}

function nxCli(): string {
  const manifest = require.resolve('nx/package.json', { paths: [workspaceRoot] });
  const { bin } = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { bin: Record<string, string> };
  return path.join(path.dirname(manifest), bin['nx']);
}

function runNxBuild(projects: string[], timeoutMs: number): Promise<void> {
  const nx = nxCli();
  const args = ['run-many', '-t', 'build', '-p', projects.join(','), '--outputStyle=static'];
  // The build must be the one a developer's shell would run (and hit the same cache):
  // without what jest adds to the environment (NODE_ENV=test, worker ids, harness facts).
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(NODE_ENV|JEST_WORKER_ID|NUMBERS_TEST_.*)$/.test(key)),
  );
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [nx, ...args], {
      cwd: workspaceRoot,
      env: { ...env, NX_NO_CLOUD: 'true', NX_TUI: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-OUTPUT_TAIL_CHARS);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`nx ${args.join(' ')} failed (${signal ?? `code ${code}`}):\n${output}`));
    });
  });
}
