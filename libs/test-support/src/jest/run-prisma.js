// @ts-check
// Runs the Prisma CLI of the workspace with DATABASE_URL exported (the CLI does not read .env
// when prisma.config.ts exists, and wants a URL even for `generate`).
// The WebAssembly schema engine keeps the CLI alive ~10 s after its work is done: once the
// line that reports success has been printed, the child is stopped instead of waited for.
const { spawn } = require('node:child_process');
const path = require('node:path');
const { workspaceRoot } = require('./workspace-paths');

const TAIL_CHARS = 4000;

/**
 * @param {string[]} args
 * @param {{ databaseUrl: string, doneWhen: RegExp, timeoutMs?: number }} options
 * @returns {Promise<string>} the CLI's output
 */
function runPrisma(args, { databaseUrl, doneWhen, timeoutMs = 120_000 }) {
  const packageDir = path.dirname(require.resolve('prisma/package.json', { paths: [workspaceRoot] }));
  const cli = path.join(packageDir, 'build', 'index.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: workspaceRoot,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        CHECKPOINT_DISABLE: '1',
        PRISMA_HIDE_UPDATE_MESSAGE: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let succeeded = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`prisma ${args.join(' ')} took over ${timeoutMs} ms:\n${output.slice(-TAIL_CHARS)}`));
    }, timeoutMs);
    /** @param {Buffer} chunk */
    const collect = (chunk) => {
      output += chunk.toString();
      if (!succeeded && doneWhen.test(output)) {
        succeeded = true;
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 2000).unref();
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (succeeded || code === 0) resolve(output);
      else reject(new Error(`prisma ${args.join(' ')} exited with ${code}:\n${output.slice(-TAIL_CHARS)}`));
    });
  });
}

module.exports = { runPrisma };
