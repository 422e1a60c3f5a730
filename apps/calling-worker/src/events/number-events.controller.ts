import { Controller, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { EventPayloads } from '@numbers/contracts';

/** News from the rest of the system. Nothing that must happen depends on these. */
@Controller()
export class NumberEventsController {
  private readonly logger = new Logger(NumberEventsController.name);

  @EventPattern('number.status_changed')
  onStatusChanged(@Payload() event: EventPayloads['number.status_changed']): void {
    this.logger.log(
      { numberId: event.numberId, accountId: event.accountId, from: event.from, to: event.to, event: event.event, at: event.at },
      'number status changed',
    );
  }
}
