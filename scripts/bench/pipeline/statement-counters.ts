const STATEMENTS_METRIC = 'numbers_database_statements_total';

/**
 * Statements each app sent to PostgreSQL between `start` and `stop`, read from its
 * `numbers_database_statements_total` (BEGIN and COMMIT included; the worker's own scrape adds its
 * outbox-lag read, one statement per scrape).
 */
export class StatementCounters {
  private before = new Map<string, number>();

  /** `metricsUrls`: each app's /metrics, by app. */
  constructor(private readonly metricsUrls: Record<string, string>) {}

  async start(): Promise<void> {
    this.before = await this.read();
  }

  async stop(): Promise<Map<string, number>> {
    const now = await this.read();
    return new Map([...now].map(([app, count]) => [app, count - (this.before.get(app) ?? 0)]));
  }

  private async read(): Promise<Map<string, number>> {
    return new Map(await Promise.all(Object.entries(this.metricsUrls).map(async ([app, url]) => [app, await statementsOf(url)] as const)));
  }
}

async function statementsOf(metricsUrl: string): Promise<number> {
  const response = await fetch(metricsUrl);
  if (!response.ok) throw new Error(`GET ${metricsUrl}: ${response.status}`);
  const line = (await response.text()).split('\n').find((l) => l.startsWith(`${STATEMENTS_METRIC} `));
  if (line === undefined) throw new Error(`${metricsUrl} has no ${STATEMENTS_METRIC}`);
  return Number(line.slice(STATEMENTS_METRIC.length + 1));
}
