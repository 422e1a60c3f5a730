// `npm run bench -- <name>`: benchmarks measured on this machine, in this run.
import { runCallsBenchmark } from './calls/calls-bench';
import { runDeliveriesBenchmark } from './deliveries/deliveries-bench';
import { runListAbBenchmark } from './list/list-ab';
import { runListBenchmark } from './list/list-bench';
import { runPipelineBenchmark } from './pipeline/pipeline-bench';
import { runTracingBenchmark } from './tracing/tracing-bench';

const BENCHMARKS: Record<string, (args: string[]) => Promise<void>> = {
  calls: runCallsBenchmark,
  deliveries: runDeliveriesBenchmark,
  list: runListBenchmark,
  'list-ab': runListAbBenchmark,
  pipeline: runPipelineBenchmark,
  tracing: runTracingBenchmark,
};

async function main(): Promise<void> {
  const [name, ...args] = process.argv.slice(2);
  const run = name ? BENCHMARKS[name] : undefined;
  if (!run) {
    process.stderr.write(`usage: npm run bench -- <${Object.keys(BENCHMARKS).join('|')}> [options]\n`);
    process.exit(2);
  }
  await run(args);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
