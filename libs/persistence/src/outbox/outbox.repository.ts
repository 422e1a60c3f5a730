import { Injectable } from '@nestjs/common';
import type { EventRequest, JobRequest } from '@numbers/contracts';
import type { Tx } from '../prisma/prisma.service';

/**
 * Writes what must follow a change into the outbox, inside the change's own transaction, so
 * the work is published if and only if the change committed.
 */
@Injectable()
export class OutboxRepository {
  async add(tx: Tx, jobs: JobRequest[], events: EventRequest[] = []): Promise<void> {
    const rows = [
      ...jobs.map((j) => ({ kind: 'job', name: j.name, payload: JSON.stringify(j.payload) })),
      ...events.map((e) => ({ kind: 'event', name: e.name, payload: JSON.stringify(e.payload) })),
    ];
    if (rows.length === 0) return;
    // Raw: every state change writes here, and a raw statement costs half a Prisma createMany.
    await tx.$executeRaw`
      INSERT INTO outbox (kind, name, payload)
      SELECT t.kind::"OutboxKind", t.name, t.payload::jsonb
      FROM unnest(${rows.map((r) => r.kind)}::text[], ${rows.map((r) => r.name)}::text[], ${rows.map((r) => r.payload)}::text[])
        WITH ORDINALITY AS t(kind, name, payload, ord)
      ORDER BY t.ord`;
  }
}
