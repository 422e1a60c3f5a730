/** An inbound message the carrier received for one of the account's numbers. */
export interface InboundMessageRecord {
  id: string;
  to: string;
  from: string;
  text: string;
  receivedAt: string;
}

/** Messages received (newest last, capped), for the state dump. */
export class TelnyxMessageStore {
  private messages: InboundMessageRecord[] = [];

  constructor(private readonly capacity = 5_000) {}

  add(message: InboundMessageRecord): void {
    this.messages.push(message);
    if (this.messages.length > this.capacity) this.messages.splice(0, this.messages.length - this.capacity);
  }

  list(): InboundMessageRecord[] {
    return [...this.messages];
  }

  clear(): void {
    this.messages = [];
  }
}
