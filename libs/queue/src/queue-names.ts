/**
 * Queue and job names are a persisted contract: jobs already in Redis carry these strings.
 * Renaming one strands the jobs queued under the old name, so add, never rename.
 */
export enum QueueName {
  Cycles = 'cycles',
  Reminders = 'reminders',
  Personnel = 'personnel',
}

export enum JobName {
  /** Opens the due cycles of every template with automatic opening. */
  OpenDueCycles = 'open-due-cycles',
  /** Moves due reminder rows from the outbox to the queue. */
  RelayReminders = 'relay-reminders',
  /** Re-enqueues outbox rows whose job disappeared (Redis lost data). */
  SweepReminders = 'sweep-reminders',
  /** Sends one digest mail for one recipient and send slot. */
  SendReminderDigest = 'send-reminder-digest',
  /** Applies the rows of bulk 人事異動 whose 発令日 has come (idempotent). */
  ApplyDueTransfers = 'apply-due-transfers',
  /** Applies the 機構改革 files whose 施行日 has come (idempotent). */
  ApplyDueReforms = 'apply-due-reforms',
}

/**
 * Which queue each job travels on. Producers go through addJobs/upsertJobScheduler, which
 * refuse a job on the wrong queue; each processor of apps/worker checks when the worker starts
 * (assertJobHandlers) that it has a handler for every job of its queue, and the worker module
 * names one processor per queue, so a job nobody would run fails the boot, not the job.
 */
export const JOB_QUEUE = {
  [JobName.OpenDueCycles]: QueueName.Cycles,
  [JobName.RelayReminders]: QueueName.Reminders,
  [JobName.SweepReminders]: QueueName.Reminders,
  [JobName.SendReminderDigest]: QueueName.Reminders,
  [JobName.ApplyDueTransfers]: QueueName.Personnel,
  [JobName.ApplyDueReforms]: QueueName.Personnel,
} as const satisfies Record<JobName, QueueName>;

/** Completed jobs are kept briefly for the dashboard, then removed so Redis stays flat. */
export const DEFAULT_JOB_OPTIONS = {
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  removeOnFail: { age: 14 * 24 * 3600, count: 5000 },
  attempts: 5,
  backoff: { type: 'exponential' as const, delay: 5_000 },
};
