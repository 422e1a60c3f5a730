// What a worker logs while it runs a job, captured from its pino logger: every line carries the
// job id and the number id, whoever logs it (the router or the handler, after an await), and the
// gateway request id the job descends from, carried by its outbox row and job data.
import { Logger as NestLogger } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { AppConfig, ConfigModule } from '@numbers/config';
import { withLogContext, type JobPayloads } from '@numbers/contracts';
import { Database, OutboxRepository, PersistenceModule } from '@numbers/persistence';
import { Logger, PARAMS_PROVIDER_TOKEN } from 'nestjs-pino';
import type { HandlesJob } from '../handlers/handles-job';
import { JobHandler } from '../handlers/job-handler.decorator';
import { MessagingModule } from '../messaging.module';
import { doNothingHandlersOf, messagingTestBed, type MessagingTestBed } from '../testing/messaging-test-app';
import { workerLoggerModule, workerLoggerOptions } from '../worker-app/worker-logger.module';

jest.setTimeout(60_000);

interface Line {
  msg: string;
  reqId?: string;
  job?: string;
  jobId?: string;
  numberId?: string;
  traceId?: string;
}

const lines: Line[] = [];
const payloads: unknown[] = [];
let handled = 0;

@JobHandler('release-number')
class LoggingReleaseHandler implements HandlesJob<'release-number'> {
  private readonly logger = new NestLogger(LoggingReleaseHandler.name);

  async handle(payload: JobPayloads['release-number']): Promise<void> {
    payloads.push(payload);
    await new Promise((resolve) => setTimeout(resolve, 10));
    this.logger.log('releasing at the carrier');
    handled++;
  }
}

let bed: MessagingTestBed;
let app: TestingModule;

beforeAll(async () => {
  bed = await messagingTestBed({ LOG_LEVEL: 'info' });
  app = await Test.createTestingModule({
    imports: [ConfigModule, workerLoggerModule('provisioning-worker'), PersistenceModule, MessagingModule.forWorker('provisioning-worker')],
    providers: [LoggingReleaseHandler, ...doNothingHandlersOf('provisioning', ['release-number'])],
  })
    .overrideProvider(AppConfig)
    .useValue(bed.config)
    .overrideProvider(PARAMS_PROVIDER_TOKEN)
    .useValue({ pinoHttp: [workerLoggerOptions('provisioning-worker', bed.config).pinoHttp, { write: (line: string) => lines.push(JSON.parse(line) as Line) }] })
    .compile();
  app.useLogger(app.get(Logger));
  await app.init();
});

afterAll(async () => {
  await app?.close();
  await bed?.cleanup();
});

it('logs every line of a job with its job id and number id, and none outside a job', async () => {
  const row = await app.get(Database).insertInto('outbox').values({ kind: 'job', name: 'release-number', payload: { numberId: 'n-logged' } satisfies JobPayloads['release-number'] }).returning('id').executeTakeFirstOrThrow();
  for (const started = Date.now(); handled === 0 && Date.now() - started < 20_000; ) await new Promise((resolve) => setTimeout(resolve, 25));
  // The router's own line after the handler returns.
  for (const started = Date.now(); !lines.some((l) => l.job === 'release-number' && l.msg === 'job completed') && Date.now() - started < 5_000; ) await new Promise((resolve) => setTimeout(resolve, 25));

  const jobId = `release-number.${row.id}`;
  // The router names the job it logs about; the sweeps scheduled on this queue run meanwhile.
  const ofJob = lines.filter((l) => l.job === 'release-number' || l.msg === 'releasing at the carrier');
  expect(ofJob.map((l) => l.msg)).toEqual(['job started', 'releasing at the carrier', 'job completed']);
  for (const line of ofJob) expect(line).toMatchObject({ jobId, numberId: 'n-logged' });
  // Written outside any request (as a sweep's job would be): no request id.
  for (const line of ofJob) expect(line).not.toHaveProperty('reqId');
  // Tracing is off here: no trace ids. Lines logged outside a job (the schedulers set up at boot) carry none.
  expect(lines.some((l) => l.traceId !== undefined)).toBe(false);
  const atBoot = lines.filter((l) => l.msg === 'job scheduled');
  expect(atBoot.length).toBeGreaterThan(0);
  for (const line of atBoot) expect(line).not.toHaveProperty('jobId');
});

it("carries the request id of the request that wrote the job's outbox row to every line of the job, not to the handler's payload", async () => {
  const before = handled;
  // As the gateway does for each request: the row is written in the request's log context.
  await withLogContext({ reqId: 'req-purchase-1' }, () => app.get(OutboxRepository).add(app.get(Database), [{ name: 'release-number', payload: { numberId: 'n-requested' } }]));
  const row = await app.get(Database).selectFrom('outbox').select(['id', 'requestId']).where('name', '=', 'release-number').orderBy('id', 'desc').executeTakeFirstOrThrow();
  expect(row.requestId).toBe('req-purchase-1');
  for (const started = Date.now(); handled === before && Date.now() - started < 20_000; ) await new Promise((resolve) => setTimeout(resolve, 25));
  const jobId = `release-number.${row.id}`;
  for (const started = Date.now(); !lines.some((l) => l.jobId === jobId && l.msg === 'job completed') && Date.now() - started < 5_000; ) await new Promise((resolve) => setTimeout(resolve, 25));

  const ofJob = lines.filter((l) => l.jobId === jobId);
  expect(ofJob.map((l) => l.msg)).toEqual(['job started', 'releasing at the carrier', 'job completed']);
  for (const line of ofJob) expect(line).toMatchObject({ reqId: 'req-purchase-1', numberId: 'n-requested' });
  expect(payloads[payloads.length - 1]).toEqual({ numberId: 'n-requested' });
});
