import { Injectable } from '@nestjs/common';
import type { Actor, PhoneNumber, Prisma } from '@prisma/client';
import { decideTransition, followUpsOf, type LifecycleEvent, type TransitionDecision } from '@numbers/domain';
import type { NumberStatus } from '@numbers/contracts';
import { PrismaService, type Tx } from '../prisma/prisma.service';
import { OutboxRepository } from '../outbox/outbox.repository';

export interface TransitionContext {
  /** Why: a webhook event id, a job id, a request id, a human reason. */
  cause: string;
  actor: Actor;
  /** Fields written together with the new state (only when the event applies). */
  patch?: Omit<Prisma.PhoneNumberUpdateManyMutationInput, 'status' | 'version'>;
}

export interface TransitionResult {
  applied: boolean;
  decision: TransitionDecision;
  number: PhoneNumber;
}

export class NumberNotFoundError extends Error {
  constructor(readonly numberId: string) {
    super(`number ${numberId} not found`);
  }
}

/** Another writer moved the number between our read and our write; the caller retries. */
export class ConcurrentTransitionError extends Error {
  constructor(readonly numberId: string) {
    super(`number ${numberId} changed concurrently`);
  }
}

const MAX_ATTEMPTS = 5;

/** Timestamps a state stamps on the number when it is entered. */
function stampsFor(to: NumberStatus, now: Date): Prisma.PhoneNumberUpdateManyMutationInput {
  switch (to) {
    case 'verifying':
      return { provisionedAt: now };
    case 'active':
      return { activatedAt: now };
    case 'regulatory_declined':
      return { regulatoryDeclinedAt: now };
    case 'released':
      return { releasedAt: now };
    default:
      return {};
  }
}

/**
 * The one place a number changes state. In one transaction: check the lifecycle table, update
 * the number with a version check, write the history row and the outbox rows for what must
 * follow. An event that does not fit changes nothing and is recorded with applied = false.
 */
@Injectable()
export class NumberLifecycle {
  constructor(
    private readonly prisma: PrismaService,
    private readonly outbox: OutboxRepository,
  ) {}

  async apply(numberId: string, event: LifecycleEvent, context: TransitionContext, tx?: Tx): Promise<TransitionResult> {
    if (tx) return this.applyIn(tx, numberId, event, context);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.prisma.$transaction((t) => this.applyIn(t, numberId, event, context));
      } catch (error) {
        if (!(error instanceof ConcurrentTransitionError) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  private async applyIn(tx: Tx, numberId: string, event: LifecycleEvent, context: TransitionContext): Promise<TransitionResult> {
    const number = await tx.phoneNumber.findUnique({ where: { id: numberId } });
    if (!number) throw new NumberNotFoundError(numberId);
    const decision = decideTransition(number.status, event);
    const now = new Date();

    if (!decision.ok) {
      await tx.numberStatusHistory.create({
        data: {
          numberId,
          fromStatus: number.status,
          toStatus: null,
          event,
          applied: false,
          cause: `${context.cause} (${decision.reason})`,
          actor: context.actor,
          at: now,
        },
      });
      return { applied: false, decision, number };
    }

    const [fresh] = await tx.phoneNumber.updateManyAndReturn({
      where: { id: numberId, version: number.version },
      data: { ...context.patch, ...stampsFor(decision.to, now), status: decision.to, version: { increment: 1 } },
    });
    if (!fresh) throw new ConcurrentTransitionError(numberId);

    await tx.numberStatusHistory.create({
      data: { numberId, fromStatus: decision.from, toStatus: decision.to, event, applied: true, cause: context.cause, actor: context.actor, at: now },
    });
    const followUps = followUpsOf({
      numberId,
      accountId: number.accountId,
      paidFirst: number.paidFirst,
      from: decision.from,
      to: decision.to,
      event,
      at: now,
    });
    await this.outbox.add(tx, followUps.jobs, followUps.events);
    return { applied: true, decision, number: fresh };
  }
}
