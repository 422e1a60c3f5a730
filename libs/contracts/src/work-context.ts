import { AsyncLocalStorage } from 'node:async_hooks';

/** What the work being done is about, as far as it is known: the request or job, and the number. */
export interface LogContext {
  /** The gateway's request id: of the request itself, or of the request a job descends from. */
  reqId?: string;
  jobId?: string;
  numberId?: string;
}

const current = new AsyncLocalStorage<LogContext>();

/**
 * Runs `work` in `context`: everything done from it, its awaits and callbacks included, sees the
 * context (`currentLogContext`). Set by the gateway for each request and by the worker's job
 * router for each job. It lives here, below every other library, because two layers read it:
 * the log lines (messaging's `logContextMixin`) and the outbox rows a request or job writes
 * (persistence stamps the request id on them, so the jobs they become carry it on).
 */
export function withLogContext<T>(context: LogContext, work: () => T): T {
  return current.run(context, work);
}

/** The context of the work in progress, or undefined outside any request or job. */
export function currentLogContext(): LogContext | undefined {
  return current.getStore();
}

/**
 * The key under which a published job's data carries the request id it descends from, beside
 * the payload's own fields (the job router takes it out before the handler sees the payload).
 */
export const JOB_REQUEST_ID_KEY = '_reqId';
