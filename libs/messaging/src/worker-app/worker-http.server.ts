import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '@numbers/config';
import type { WorkerApp } from '@numbers/contracts';
import { Readiness } from '../health/readiness';
import { WorkerHealthChecks } from '../health/worker-health-checks';
import { MetricsRegistry } from '../metrics/metrics-registry';
import { MESSAGING_OPTIONS, type MessagingOptions } from '../workers/messaging-options';

/** Where each worker serves metrics and health when METRICS_PORT is unset: apart, so one machine runs them all. */
export const DEFAULT_METRICS_PORTS: Readonly<Record<WorkerApp, number>> = {
  'provisioning-worker': 9101,
  'billing-worker': 9102,
  'calling-worker': 9103,
  'delivery-worker': 9104,
};

/**
 * A worker's own small HTTP listener (workers have no other): `GET /metrics` (Prometheus text),
 * `/health/live` (the process answers) and `/health/ready` (WorkerHealthChecks; 503 with the
 * report when not). On all interfaces, so Prometheus and orchestrators on other hosts reach it.
 * Readiness goes false as soon as the worker starts to stop; the listener closes last, so the
 * 503 is what probes see while jobs drain.
 */
@Injectable()
export class WorkerHttpServer implements OnModuleDestroy, OnApplicationShutdown {
  private readonly logger = new Logger(WorkerHttpServer.name);
  private server?: Server;

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    private readonly config: AppConfig,
    private readonly metrics: MetricsRegistry,
    private readonly health: WorkerHealthChecks,
    private readonly readiness: Readiness,
  ) {}

  /** Listens on METRICS_PORT, else the app's default (0: any free port); resolves to the port. */
  async listen(): Promise<number> {
    const app = this.options.app;
    if (!app) throw new Error('WorkerHttpServer needs MessagingModule.forWorker(app)');
    const server = createServer((request, response) => void this.answer(request, response));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.metrics.port ?? DEFAULT_METRICS_PORTS[app], '0.0.0.0', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    this.logger.log({ port }, `/metrics, /health/live and /health/ready on port ${port}`);
    return port;
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?')[0];
    try {
      if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, 'application/json', '{"error":"Method Not Allowed"}');
      if (path === '/metrics') return send(response, 200, this.metrics.contentType, await this.metrics.text());
      if (path === '/health/live') return send(response, 200, 'application/json', '{"status":"ok"}');
      if (path === '/health/ready') {
        const { status, body } = await this.health.ready();
        return send(response, status, 'application/json', JSON.stringify(body));
      }
      return send(response, 404, 'application/json', '{"error":"Not Found"}');
    } catch (error) {
      this.logger.error({ err: error instanceof Error ? error.message : String(error), path }, 'metrics or health request failed');
      return send(response, 500, 'application/json', '{"error":"Internal Server Error"}');
    }
  }

  onModuleDestroy(): void {
    this.readiness.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function send(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  response.end(body);
}
