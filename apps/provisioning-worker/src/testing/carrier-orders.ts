import type { SimulatorProcess } from '@numbers/test-support';

/** The simulated carrier fulfils number orders `completionDelayMs` after answering them (0: at once). */
export async function setOrderCompletionDelay(sim: SimulatorProcess, completionDelayMs: number): Promise<void> {
  const response = await fetch(`${sim.url}/_sim/telnyx/number-orders/policy`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ completionDelayMs }),
  });
  expect(response.ok).toBe(true);
}
