import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { eventually } from './eventually';
import { freePort } from './free-port';
import { trackProcess, untrackProcess } from './process/process-registry';

const run = promisify(execFile);
const MASTERS = 3;
// A node also listens on its port + 10000 (the cluster bus): ports above this have none.
const HIGHEST_PORT = 65535 - 10000;

export interface RedisClusterProcess {
  /** The masters as `127.0.0.1:<port>`. */
  readonly nodes: readonly string[];
  /** The value of REDIS_CLUSTER_NODES that reaches this cluster. */
  readonly setting: string;
  /** Stops every node and deletes its files. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts a real Redis Cluster of three masters (no replicas) on free ports: three
 * `redis-server --cluster-enabled yes` children of this process, joined with
 * `redis-cli --cluster create`, ready once every node reports `cluster_state:ok`. Each test file
 * that needs one starts its own; the process registry stops it after the file if the test does not.
 */
export async function startRedisCluster(): Promise<RedisClusterProcess> {
  const dir = await mkdtemp(path.join(tmpdir(), 'numbers-redis-cluster-'));
  const ports = await clusterPorts();
  const children = ports.map((port) => startNode(port, dir));
  const nodes = ports.map((port) => `127.0.0.1:${port}`);
  const killAll = () => children.forEach((child) => child.kill('SIGKILL'));
  // A test worker that exits without stopping the cluster takes its nodes along.
  process.once('exit', killAll);
  let stopped: Promise<void> | undefined;
  const cluster: RedisClusterProcess & { name: string; pid: number; logs(): string } = {
    name: 'redis-cluster',
    pid: children[0]?.pid ?? 0,
    nodes,
    setting: nodes.join(','),
    logs: () => `redis cluster on ${nodes.join(', ')} (files in ${dir})`,
    stop: () =>
      (stopped ??= (async () => {
        untrackProcess(cluster);
        process.off('exit', killAll);
        await Promise.all(children.map(stopNode));
        await rm(dir, { recursive: true, force: true });
      })()),
  };
  trackProcess(cluster);
  try {
    await Promise.all(ports.map((port) => eventually(`redis node ${port} answers`, async () => (await cli(port, 'ping')) === 'PONG', 15_000)));
    await run('redis-cli', ['--cluster', 'create', ...nodes, '--cluster-replicas', '0', '--cluster-yes']);
    await Promise.all(ports.map((port) => eventually(`redis node ${port} reports cluster_state:ok`, async () => (await cli(port, 'cluster', 'info')).includes('cluster_state:ok'), 30_000)));
    return cluster;
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}

/** Three free ports whose bus ports (+10000) are free too. */
async function clusterPorts(): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < MASTERS) {
    const port = await freePort();
    if (port <= HIGHEST_PORT && !ports.includes(port) && (await isFree(port + 10000))) ports.push(port);
  }
  return ports;
}

async function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function startNode(port: number, dir: string): ChildProcess {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-config-file', path.join(dir, `nodes-${port}.conf`), '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
    { stdio: 'ignore' },
  );
  child.on('error', () => undefined);
  return child;
}

function stopNode(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** A command on one node through redis-cli; its output, or '' while the node does not answer. */
async function cli(port: number, ...args: string[]): Promise<string> {
  try {
    const { stdout } = await run('redis-cli', ['-p', String(port), ...args]);
    return stdout.trim();
  } catch {
    return '';
  }
}
