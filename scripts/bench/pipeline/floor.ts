import { cpus } from 'node:os';
import type { BareRate } from '../bare-rate';

/** What the pipeline did for its numbers until all were active. */
export interface PipelineWork {
  numbers: number;
  jobs: number;
  /** Provider calls the simulator answered and webhooks it sent. */
  exchanges: number;
  /** Statements by app (BEGIN and COMMIT included). */
  statements: Map<string, number>;
  /** CPU ms by process. */
  cpuMs: Map<string, number>;
}

/** The bare rates measured in the same run. */
export interface BareRates {
  jobs: BareRate;
  exchanges: BareRate;
  statements: BareRate;
}

/** Measured CPU per number against this at most (issue 15). */
const GOAL_RATIO = 1.5;

const sum = (values: Iterable<number>) => [...values].reduce((a, b) => a + b, 0);

/**
 * The pipeline's CPU per number against its floor: the same jobs, provider exchanges and
 * statements per number done bare, each at the CPU a bare one costs on this machine in this run
 * (all processes taking part, the benchmark's own included). Also the issue's first form of the
 * floor, from the bare rates per wall second times the cores: that one assumes a bare loop keeps
 * every core busy, which it does not (one Node client is one thread), so it overstates the floor
 * and moves with how loaded the machine is.
 */
export function printFloor(work: PipelineWork, bare: BareRates, pgConnections: number): void {
  const per = (count: number) => count / work.numbers;
  const counts = { jobs: per(work.jobs), exchanges: per(work.exchanges), statements: per(sum(work.statements.values())) };
  const terms = {
    jobs: counts.jobs * bare.jobs.cpuMsPerOp,
    exchanges: counts.exchanges * bare.exchanges.cpuMsPerOp,
    statements: counts.statements * bare.statements.cpuMsPerOp,
  };
  const floorMs = sum(Object.values(terms));
  const cores = cpus().length;
  const wallFloorMs = 1000 * cores * (counts.jobs / bare.jobs.perSecond + counts.exchanges / bare.exchanges.perSecond + counts.statements / bare.statements.perSecond);
  const measuredMs = per(sum(work.cpuMs.values()));
  const rate = (r: BareRate) => `${r.perSecond.toFixed(0)}/s, ${(r.cpuMsPerOp * 1000).toFixed(0)} µs CPU each`;
  process.stdout.write(`
efficiency against the floor (the same work done bare, this run's bare costs)
  statements per number          ${counts.statements.toFixed(2)}   (${[...work.statements].map(([app, n]) => `${app} ${per(n).toFixed(2)}`).join(', ')}; BEGIN and COMMIT included)
  bare prepared statements       ${rate(bare.statements)}   (SELECT $1 over ${pgConnections} pg connections; this process + its PostgreSQL backends)
  bare BullMQ jobs               ${rate(bare.jobs)}   (this process + Redis)
  bare HTTP exchanges            ${rate(bare.exchanges)}   (fetch client + Fastify server)
  floor, CPU per number          ${floorMs.toFixed(1)} ms   (jobs ${terms.jobs.toFixed(1)} + exchanges ${terms.exchanges.toFixed(1)} + statements ${terms.statements.toFixed(1)})
  measured, CPU per number       ${measuredMs.toFixed(1)} ms
  measured / floor               ${(measuredMs / floorMs).toFixed(2)}   (goal <= ${GOAL_RATIO})
  from wall rates x ${cores} cores      floor ${wallFloorMs.toFixed(1)} ms, measured / floor ${(measuredMs / wallFloorMs).toFixed(2)}   (assumes the bare loops keep every core busy)
`);
}
