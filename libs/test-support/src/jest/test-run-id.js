// @ts-check
// Names this jest run: the start time and the pid, both base 36. Test databases carry it in
// their name, so teardown knows which are its own and how old the others are.

function newTestRunId() {
  return `${Date.now().toString(36)}_${process.pid.toString(36)}`;
}

/** @param {string} runId @returns {number} start time in ms, NaN if not a run id */
function startOfTestRun(runId) {
  const match = /^([0-9a-z]+)_[0-9a-z]+$/.exec(runId);
  return match ? parseInt(match[1], 36) : Number.NaN;
}

module.exports = { newTestRunId, startOfTestRun };
