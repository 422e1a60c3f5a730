// Preloaded (node --require) into every process startProcess launches: when the test worker
// that started it dies without stopping it, the process exits instead of holding its port and
// database sessions until someone notices. The worker's pid comes in an environment variable
// that is removed before the app's own code runs, so the app sees exactly the env it was given.
const PARENT_PID_VARIABLE = 'NUMBERS_TEST_WATCHDOG_PARENT_PID';

const startedBy = Number(process.env[PARENT_PID_VARIABLE]);
delete process.env[PARENT_PID_VARIABLE];

if (startedBy > 0) {
  setInterval(() => {
    if (process.ppid !== startedBy) process.exit(1);
  }, 500).unref();
}
