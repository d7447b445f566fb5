import { UnrecoverableError, type Job, type JobSchedulerTemplateOptions, type Queue, type RepeatOptions, type JobsOptions } from 'bullmq';
import { contextTenantId } from '@app/database';
import { JOB_QUEUE, JobName, QueueName } from './queue-names';

/**
 * What each job carries, by job name: the one definition producers and processors share.
 * Jobs already in Redis keep the shape they were queued with, so a payload only grows
 * (SendReminderDigest's single `mailId` is the shape of jobs queued before batching).
 */
export interface JobPayloads {
  /** `dueAt`: the opening time a catch-up run makes up (ISO); scheduler runs carry it in their job id. */
  [JobName.OpenDueCycles]: { dueAt?: string };
  [JobName.RelayReminders]: Record<string, never>;
  [JobName.SweepReminders]: Record<string, never>;
  [JobName.SendReminderDigest]: { mailIds?: string[]; mailId?: string | number };
  /** `asOf`: the day whose 発令 to apply (YYYY-MM-DD, Tokyo); the scheduler's runs leave it out (today). */
  [JobName.ApplyDueTransfers]: { asOf?: string };
  /** `asOf`: the day whose 機構改革 to apply (YYYY-MM-DD, Tokyo); the scheduler's runs leave it out (today). */
  [JobName.ApplyDueReforms]: { asOf?: string };
}

/**
 * Beside its payload, every job a producer adds carries the tenant (municipality) it was queued
 * for, when one was decided (addJobs takes it from the context), and runs as that tenant
 * (TenantsService.runForJob in the processors). A scheduler's jobs carry none: they are for every
 * tenant.
 */
export interface JobTenant {
  tenantId?: number;
}

/** The job names that travel on queue Q. */
export type JobsOn<Q extends QueueName> = { [N in JobName]: (typeof JOB_QUEUE)[N] extends Q ? N : never }[JobName];

export type TypedJob<N extends JobName> = Job<JobPayloads[N], unknown, N>;

/** One handler for every job of the queue: a missing one is a compile error and a boot failure. */
export type JobHandlers<Q extends QueueName> = { [N in JobsOn<Q>]: (job: TypedJob<N>) => Promise<unknown> };

export function jobNamesOn(queue: QueueName): JobName[] {
  return (Object.keys(JOB_QUEUE) as JobName[]).filter((name) => JOB_QUEUE[name] === queue);
}

/**
 * Checked when a processor starts: a handler for each job name of its queue and none for a
 * job of another queue. Throws, so a worker that could not run a queued job never starts.
 */
export function assertJobHandlers(queue: QueueName, handlers: Record<string, unknown>): void {
  const expected = jobNamesOn(queue);
  const missing = expected.filter((name) => typeof handlers[name] !== 'function');
  const foreign = Object.keys(handlers).filter((name) => !expected.includes(name as JobName));
  if (missing.length || foreign.length) {
    throw new Error(
      `queue ${queue}: ${missing.length ? `no handler for ${missing.join(', ')}` : ''}${foreign.length ? ` handlers for jobs of other queues: ${foreign.join(', ')}` : ''}`,
    );
  }
}

/** Runs the job's handler; a job name nobody handles fails at once instead of being retried. */
export function dispatchJob<Q extends QueueName>(queue: Q, handlers: JobHandlers<Q>, job: Job): Promise<unknown> {
  const handler = (handlers as unknown as Record<string, (job: Job) => Promise<unknown>>)[job.name];
  if (!handler) throw new UnrecoverableError(`no handler for job ${job.name} on queue ${queue}`);
  return handler(job);
}

/** Registers (or updates) the job scheduler of one job name, its jobs carrying a typed payload. */
export function upsertJobScheduler<N extends JobName>(
  queue: Queue,
  name: N,
  repeat: Omit<RepeatOptions, 'key'>,
  template: { data: JobPayloads[N]; opts?: JobSchedulerTemplateOptions },
) {
  if (queue.name !== JOB_QUEUE[name]) throw new Error(`job ${name} belongs on queue ${JOB_QUEUE[name]}, not ${queue.name}`);
  return queue.upsertJobScheduler(name, repeat, { name, data: template.data, opts: template.opts });
}

/** Adds jobs of one name with their typed payloads (the producers' only way onto a queue). */
export function addJobs<N extends JobName>(queue: Queue, name: N, jobs: { data: JobPayloads[N]; opts?: JobsOptions }[]) {
  if (queue.name !== JOB_QUEUE[name]) throw new Error(`job ${name} belongs on queue ${JOB_QUEUE[name]}, not ${queue.name}`);
  const tenantId = contextTenantId();
  const tenant: JobTenant = typeof tenantId === 'number' ? { tenantId } : {};
  return queue.addBulk(jobs.map((j) => ({ name, data: { ...j.data, ...tenant }, opts: j.opts })));
}
