/** Every answer the API gave during the run, by kind; what a client may never see is kept in full. */
export class ApiTraffic {
  readonly byStatus = new Map<number, number>();
  /** Connections refused or cut: a killed or restarting gateway (the client retries elsewhere). */
  networkErrors = 0;
  /** 503 with Retry-After: a dependency down, said properly. */
  unavailable = 0;
  /** Any other 5xx, or a 503 without Retry-After: forbidden. */
  readonly forbidden: { at: Date; method: string; path: string; status: number; body: string }[] = [];

  /** A `fetch` that records what it got back, for the SDK's per-request `fetch` option. */
  readonly fetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    let response: Response;
    try {
      response = await fetch(request.clone());
    } catch (error) {
      this.networkErrors += 1;
      throw error;
    }
    this.byStatus.set(response.status, (this.byStatus.get(response.status) ?? 0) + 1);
    if (response.status === 503 && response.headers.get('retry-after')) this.unavailable += 1;
    else if (response.status >= 500) {
      const { pathname } = new URL(request.url);
      const body = await response.clone().text().catch(() => '');
      this.forbidden.push({ at: new Date(), method: request.method, path: pathname, status: response.status, body: body.slice(0, 300) });
    }
    return response;
  };

  count(range: (status: number) => boolean): number {
    return [...this.byStatus].filter(([status]) => range(status)).reduce((sum, [, n]) => sum + n, 0);
  }
}
