import { Injectable } from '@nestjs/common';
import type { EventRequest, JobRequest } from '@numbers/contracts';
import type { Prisma } from '@prisma/client';
import type { Tx } from '../prisma/prisma.service';

/**
 * Writes what must follow a change into the outbox, inside the change's own transaction, so
 * the work is published if and only if the change committed.
 */
@Injectable()
export class OutboxRepository {
  async add(tx: Tx, jobs: JobRequest[], events: EventRequest[] = []): Promise<void> {
    const rows = [
      ...jobs.map((j) => ({ kind: 'job' as const, name: j.name, payload: j.payload as Prisma.InputJsonValue })),
      ...events.map((e) => ({ kind: 'event' as const, name: e.name, payload: e.payload as Prisma.InputJsonValue })),
    ];
    if (rows.length > 0) await tx.outboxMessage.createMany({ data: rows });
  }
}
