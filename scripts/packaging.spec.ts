// The Dockerfile and docker-compose.yml, checked without a container engine (none runs on the
// development machines): what they name exists, and the image keeps its promises.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { REPO_ROOT } from './lib/local-env';

interface ComposeService {
  build?: { context: string; target: string };
  image?: string;
  env_file?: string[];
  environment?: Record<string, string>;
  command?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: unknown;
}

const read = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');
const exists = (path: string) => existsSync(join(REPO_ROOT, path));
const compose = load(read('docker-compose.yml')) as { services: Record<string, ComposeService & { '<<'?: ComposeService }> };
// js-yaml leaves YAML merge keys (`<<: *numbers-app`) as they are; Compose applies them, shallowly.
const services: Record<string, ComposeService> = Object.fromEntries(
  Object.entries(compose.services).map(([name, { '<<': base, ...own }]) => [name, { ...base, ...own }]),
);
const dockerfile = read('Dockerfile');
const stages = [...dockerfile.matchAll(/^FROM \S+ AS (\S+)$/gm)].map((match) => match[1]);
const finalStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
const APPS = ['provider-simulator', 'api-gateway', 'provisioning-worker', 'billing-worker', 'calling-worker', 'delivery-worker'];

describe('docker-compose.yml', () => {
  it('runs every app once, from the runtime image, with APP naming a built project', () => {
    const apps = Object.values(services).flatMap((service) => (service.environment?.['APP'] ? [service.environment['APP']] : []));
    expect(apps.sort()).toEqual([...APPS].sort());
    for (const app of APPS) {
      expect(exists(`apps/${app}/project.json`)).toBe(true);
      expect(dockerfile).toContain(` ${app}`);
      expect(services[app]?.build?.target).toBe('runtime');
    }
  });

  it('builds only stages the Dockerfile has, and reads env files that exist', () => {
    for (const [name, service] of Object.entries(services)) {
      if (service.build) expect({ name, target: stages.includes(service.build.target) }).toEqual({ name, target: true });
      for (const file of service.env_file ?? []) expect({ name, file, exists: exists(file) }).toEqual({ name, file, exists: true });
    }
  });

  it('waits only on services it defines, healthy ones on a health check', () => {
    const withHealth = (name: string) => services[name]?.healthcheck !== undefined || (services[name]?.build?.target === 'runtime' && /^HEALTHCHECK /m.test(finalStage));
    for (const [name, service] of Object.entries(services)) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect(Object.keys(services)).toContain(dependency);
        expect(['service_started', 'service_healthy', 'service_completed_successfully']).toContain(condition);
        if (condition === 'service_healthy') expect({ name, dependency, health: withHealth(dependency) }).toEqual({ name, dependency, health: true });
      }
    }
  });

  it('scales every app but the simulator (docker compose up --scale): no fixed host port, no container name', () => {
    const raw = compose.services as Record<string, ComposeService & { ports?: string[]; container_name?: string }>;
    for (const app of APPS.filter((a) => a !== 'provider-simulator')) {
      expect({ app, name: raw[app]?.container_name }).toEqual({ app, name: undefined });
      // Replicas of one service need a host port each: a range, or none published.
      for (const port of raw[app]?.ports ?? []) expect({ app, port }).toEqual({ app, port: expect.stringMatching(/^\d+-\d+:\d+$/) });
    }
  });

  it('migrates, then seeds the demo accounts of npm start once the gateway and the simulator answer', () => {
    expect(services['migrate']?.command).toEqual(['npx', 'prisma', 'migrate', 'deploy']);
    expect(exists('prisma/schema.prisma')).toBe(true);
    const seed = services['seed'];
    expect(seed?.build?.target).toBe('build');
    expect(seed?.depends_on).toMatchObject({
      migrate: { condition: 'service_completed_successfully' },
      'provider-simulator': { condition: 'service_healthy' },
      'api-gateway': { condition: 'service_healthy' },
    });
    const [node, runTs, script, flag, simulator] = seed?.command ?? [];
    expect([node, flag]).toEqual(['node', '--simulator']);
    expect([runTs, script].map(exists)).toEqual([true, true]);
    expect(simulator).toBe(`http://provider-simulator:${services['provider-simulator']?.environment?.['HEALTHCHECK_URL']?.match(/:(\d+)\//)?.[1]}`);
  });
});

describe('Dockerfile', () => {
  it('pins every base image by digest, on the Node major of .nvmrc and package.json', () => {
    const image = dockerfile.match(/^ARG NODE_IMAGE=(\S+)$/m)?.[1] ?? '';
    expect(image).toMatch(/^node:(\d+)\.\d+\.\d+-bookworm-slim@sha256:[0-9a-f]{64}$/);
    expect([...dockerfile.matchAll(/^FROM (\S+)/gm)].map((match) => match[1])).toEqual(stages.map(() => '${NODE_IMAGE}'));
    const major = image.match(/^node:(\d+)\./)?.[1];
    expect(read('.nvmrc').trim().split('.')[0]).toBe(major);
    expect((JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node).toMatch(new RegExp(`^\\^${major}\\.`));
  });

  it('runs as node with production dependencies only, and has a health check whose script it copies', () => {
    expect(finalStage).toMatch(/^USER node$/m);
    expect(finalStage).toMatch(/^HEALTHCHECK .*CMD \["node", "scripts\/container-healthcheck\.js"\]$/m);
    expect(finalStage).toContain('COPY scripts/container-healthcheck.js ./scripts/');
    expect(exists('scripts/container-healthcheck.js')).toBe(true);
    expect(finalStage).toContain('COPY --from=production-dependencies /repo/node_modules ./node_modules');
    expect(dockerfile).toMatch(/FROM \S+ AS production-dependencies\n(?:.*\n)*?RUN npm ci --omit=dev/);
    // exec: node is PID 1 and receives SIGTERM itself, so it drains (a shell would not pass it on).
    expect(finalStage).toMatch(/^CMD \["sh", "-c", "exec node dist\/apps\/\$\{APP\}\/main\.js"\]$/m);
  });

  it('leaves .git and local state out of the build context', () => {
    const ignored = read('.dockerignore').split('\n').map((line) => line.trim());
    expect(ignored).toEqual(expect.arrayContaining(['.git', 'node_modules', 'dist', '.numbers']));
  });
});
