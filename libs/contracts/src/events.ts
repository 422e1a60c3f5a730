import type { NumberStatus } from './number-status';

/** News published on the Redis transport of @nestjs/microservices. Never the only carrier of work. */
export interface EventPayloads {
  'number.status_changed': {
    numberId: string;
    accountId: string;
    from: NumberStatus;
    to: NumberStatus;
    event: string;
    at: string;
  };
}

export type EventName = keyof EventPayloads;

export const EVENT_NAMES: EventName[] = ['number.status_changed'];

export interface EventRequest<K extends EventName = EventName> {
  name: K;
  payload: EventPayloads[K];
}
