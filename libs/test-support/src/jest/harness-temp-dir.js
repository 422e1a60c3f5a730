// @ts-check
// A scratch directory per workspace under the system temp dir (outside the tree Nx watches):
// the build lock and, per test run, markers of what ensureBuilt has built.
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { workspaceRoot } = require('./workspace-paths');

const RUN_DIRS_KEPT_MS = 24 * 60 * 60 * 1000;

function harnessTempDir() {
  const id = createHash('sha256').update(workspaceRoot).digest('hex').slice(0, 12);
  const dir = path.join(os.tmpdir(), `numbers-test-support-${id}`);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** @param {string} runId */
function runTempDir(runId) {
  return path.join(harnessTempDir(), `run-${runId}`);
}

/** Removes this run's directory and any other run's older than a day. @param {string} runId */
function removeRunTempDirs(runId) {
  const dir = harnessTempDir();
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || !entry.name.startsWith('run-')) continue;
    const full = path.join(dir, entry.name);
    if (entry.name === `run-${runId}` || Date.now() - fs.statSync(full).mtimeMs > RUN_DIRS_KEPT_MS) {
      fs.rmSync(full, { recursive: true, force: true });
    }
  }
}

module.exports = { harnessTempDir, runTempDir, removeRunTempDirs };
