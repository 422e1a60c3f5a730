import { Injectable, Logger, Module } from '@nestjs/common';
import type { HTTPStatus } from '@bull-board/api/dist/types';
import { FastifyAdapter as BullBoardFastifyAdapter } from '@bull-board/fastify';
import { AppConfig } from '@numbers/config';
import { QueueDashboard, QueueDashboardModule } from '@numbers/messaging';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { toApiError, UNAUTHORIZED_BODY } from '../http/api-error';
import { isAdminAuthorized } from './admin-token';

/** Where the queue dashboard is served. */
export const QUEUE_BOARD_PATH = '/admin/queues';

/**
 * The operators' queue dashboard (@bull-board over every queue) at /admin/queues, behind
 * ADMIN_TOKEN (`Authorization: Bearer <token>`, or Basic with the token as password): anything
 * else is 401 `{"error":"Unauthorized"}` with a Basic challenge, so a browser asks for it. With no
 * ADMIN_TOKEN the board is not mounted at all (404). Its routes get the gateway's body limit for
 * public routes, and its errors the gateway's shape.
 */
@Injectable()
export class QueueBoard {
  private readonly logger = new Logger(QueueBoard.name);

  constructor(
    private readonly config: AppConfig,
    private readonly dashboard: QueueDashboard,
  ) {}

  /** Registers the board's routes on the gateway's Fastify, when ADMIN_TOKEN is set. Call before `init()`. */
  mount(fastify: FastifyInstance): boolean {
    const token = this.config.adminToken;
    if (!token) return false;
    const serverAdapter = new BullBoardFastifyAdapter();
    serverAdapter.setBasePath(QUEUE_BOARD_PATH);
    this.dashboard.attach(serverAdapter);
    // After attach, which sets @bull-board's own handler: errors of the board's API leave in our shape.
    serverAdapter.setErrorHandler((error: Error) => {
      const { status, body, unexpected } = toApiError(error);
      if (unexpected) this.logger.error({ err: error }, 'Unhandled error answering a queue board request');
      // @bull-board's type names fewer statuses than its adapter sends (any, as given).
      return { status: status as HTTPStatus, body };
    });
    void fastify.register(
      async (admin: FastifyInstance) => {
        // In this plugin's scope only: the board's routes, not the rest of the gateway.
        admin.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
          if (isAdminAuthorized(request.headers.authorization, token)) return;
          return reply.code(401).header('www-authenticate', 'Basic realm="Numbers queues", charset="UTF-8"').send(UNAUTHORIZED_BODY);
        });
        await admin.register(serverAdapter.registerPlugin(), { prefix: QUEUE_BOARD_PATH });
      },
    );
    return true;
  }
}

@Module({ imports: [QueueDashboardModule], providers: [QueueBoard], exports: [QueueBoard] })
export class QueueBoardModule {}
