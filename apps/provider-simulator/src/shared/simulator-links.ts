/**
 * Where the simulator can be reached from outside (browsers follow its checkout links there).
 * A configured port 0 means "wherever it ends up listening": filled in once it listens.
 */
export class SimulatorLinks {
  constructor(private base: string) {}

  get publicUrl(): string {
    return this.base.replace(/\/+$/, '');
  }

  /** Called once listening; replaces a `:0` port with the real one. */
  bound(port: number): void {
    const url = new URL(this.base);
    if (url.port === '0') {
      url.port = String(port);
      this.base = url.toString();
    }
  }

  checkoutPage(sessionId: string): string {
    return `${this.publicUrl}/checkout/${sessionId}`;
  }
}
