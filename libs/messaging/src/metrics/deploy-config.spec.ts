import fs from 'node:fs';
import path from 'node:path';
import { WORKER_APPS } from '@numbers/contracts';
import { parse } from 'yaml';
import { DEFAULT_METRICS_PORTS } from '../worker-app/worker-http.server';

/**
 * The Prometheus + Grafana pair of docker-compose.yml cannot run here (no container engine): these
 * check what can go wrong without one. Every file parses, Prometheus scrapes each process on the
 * port it listens on, and the dashboard asks only for metrics the code defines.
 */
const fromWorkspaceRoot = (file: string) => path.resolve(__dirname, '../../../..', file);
const read = (file: string) => fs.readFileSync(fromWorkspaceRoot(file), 'utf8');
const yamlOf = (file: string) => parse(read(file), { merge: true });

/** Every `name: 'numbers_...'` the metrics code registers. */
function definedMetrics(): Set<string> {
  const dir = fromWorkspaceRoot('libs/messaging/src/metrics');
  const sources = fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts')).map((f) => fs.readFileSync(`${dir}/${f}`, 'utf8'));
  return new Set(sources.flatMap((source) => [...source.matchAll(/name: '(numbers_[a-z_]+)'/g)].map((m) => m[1])));
}

describe('deploy/: Prometheus and Grafana', () => {
  const compose = yamlOf('docker-compose.yml');
  const prometheus = yamlOf('deploy/prometheus/prometheus.yml');

  it('scrapes every replica of every process (found in Docker DNS) on the port it serves /metrics on', () => {
    type DnsSd = { names: string[]; type: string; port: number };
    const targets = Object.fromEntries(
      prometheus.scrape_configs.map((job: { job_name: string; dns_sd_configs: DnsSd[] }) => [job.job_name, job.dns_sd_configs.flatMap((c) => (c.type === 'A' ? c.names.map((name) => `${name}:${c.port}`) : []))]),
    );
    expect(targets).toEqual({
      'api-gateway': ['api-gateway:3000'],
      ...Object.fromEntries(WORKER_APPS.map((app) => [app, [`${app}:${DEFAULT_METRICS_PORTS[app]}`]])),
    });
    // Each target is a compose service, and its health check asks /health/ready on that same port.
    for (const [service, [target]] of Object.entries(targets) as [string, string[]][]) {
      const port = target.split(':')[1];
      expect([service, compose.services[service]?.healthcheck?.test?.join(' ')]).toEqual([service, expect.stringContaining(`http://127.0.0.1:${port}/health/ready`)]);
    }
  });

  it('runs Prometheus with that file, and Grafana with its data source and the dashboards provisioned', () => {
    expect(compose.services.prometheus.volumes).toContain('./deploy/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro');
    const grafanaVolumes: string[] = compose.services.grafana.volumes;
    const datasource = yamlOf('deploy/grafana/provisioning/datasources/prometheus.yml').datasources[0];
    expect(datasource).toMatchObject({ uid: 'prometheus', type: 'prometheus', url: 'http://prometheus:9090' });
    const provider = yamlOf('deploy/grafana/provisioning/dashboards/numbers.yml').providers[0];
    expect(grafanaVolumes).toEqual(
      expect.arrayContaining(['./deploy/grafana/provisioning:/etc/grafana/provisioning:ro', `./deploy/grafana/dashboards:${provider.options.path}:ro`]),
    );
  });

  it('has a dashboard that queries only metrics the code defines, through that data source', () => {
    const dashboard = JSON.parse(read('deploy/grafana/dashboards/numbers.json'));
    const targets = dashboard.panels.flatMap((panel: { targets?: { expr: string; datasource: { uid: string } }[] }) => panel.targets ?? []);
    expect(targets.length).toBeGreaterThan(10);
    expect(new Set(targets.map((t: { datasource: { uid: string } }) => t.datasource.uid))).toEqual(new Set(['prometheus']));
    const queried = new Set(targets.flatMap((t: { expr: string }) => [...t.expr.matchAll(/numbers_[a-z_]+/g)].map((m) => m[0].replace(/_(bucket|count|sum)$/, ''))));
    const defined = definedMetrics();
    expect([...queried].filter((name) => !defined.has(name as string))).toEqual([]);
    // Every metric the code defines is on the dashboard.
    expect([...defined].filter((name) => !queried.has(name))).toEqual([]);
  });
});
