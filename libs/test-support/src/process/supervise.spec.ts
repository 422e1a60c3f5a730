import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eventually } from '../eventually';
import { superviseProcess } from './supervise';

const fixture = path.join(__dirname, 'fixtures', 'dies-after.fixture.js');

describe('superviseProcess', () => {
  const startsIn = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean).length;

  it('starts a process that dies again, waiting longer after each quick death, until stopped', async () => {
    const starts = path.join(mkdtempSync(path.join(tmpdir(), 'supervise-')), 'starts');
    const waits: number[] = [];
    const supervised = await superviseProcess(
      { name: 'crasher', script: fixture, env: { STARTS_FILE: starts, DIE_AFTER_MS: '100' }, readyLogLine: 'ready' },
      { backoffMs: 50, maxBackoffMs: 400, onRestart: (exit, inMs) => waits.push(exit.code === 1 ? inMs : -1) },
    );
    await eventually('four deaths seen', async () => waits.length >= 4, 20_000, 20);
    await supervised.stop();
    const startedWhenStopped = startsIn(starts);

    expect(waits.slice(0, 4)).toEqual([50, 100, 200, 400]);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(startsIn(starts)).toBe(startedWhenStopped);
  });

  it('leaves a healthy process alone, and stops it', async () => {
    const starts = path.join(mkdtempSync(path.join(tmpdir(), 'supervise-')), 'starts');
    const supervised = await superviseProcess({ name: 'steady', script: fixture, env: { STARTS_FILE: starts }, readyLogLine: 'ready' }, { backoffMs: 50 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(supervised.restarts).toBe(0);
    const running = supervised.current();
    await supervised.stop();
    expect(await running.exited).toMatchObject({ signal: 'SIGTERM' });
    expect(startsIn(starts)).toBe(1);
  });
});
