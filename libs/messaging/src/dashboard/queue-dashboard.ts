import { Injectable, Module } from '@nestjs/common';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import type { IServerAdapter } from '@bull-board/api/typings/app';
import { QUEUES } from '@numbers/contracts';
import { MessagingModule } from '../messaging.module';
import { QueueRegistry } from '../queues/queue-registry';

/**
 * The operators' queue dashboard (@bull-board) over every queue of `QUEUES`, as this process's
 * QueueRegistry opens them (same Redis, same prefix). The app brings the HTTP side: the
 * @bull-board server adapter of its framework, and who may reach it.
 */
@Injectable()
export class QueueDashboard {
  constructor(private readonly queues: QueueRegistry) {}

  /** Serves the board through `serverAdapter` (its routes, UI and API, under the adapter's base path). */
  attach(serverAdapter: IServerAdapter): void {
    createBullBoard({
      queues: QUEUES.map((name) => new BullMQAdapter(this.queues.get(name))),
      serverAdapter,
      options: { uiConfig: { boardTitle: 'Numbers queues' } },
    });
  }
}

/** QueueDashboard, on the producer side of messaging (queues only: no workers, no relay). */
@Module({
  imports: [MessagingModule.forProducer()],
  providers: [QueueDashboard],
  exports: [QueueDashboard],
})
export class QueueDashboardModule {}
