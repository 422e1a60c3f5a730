/** The BullMQ queues: one per worker app, named for the part of a number's life it owns. */
export const QUEUES = ['provisioning', 'billing', 'calling', 'deliveries'] as const;
export type QueueName = (typeof QUEUES)[number];

/** The processes that consume jobs. */
export const WORKER_APPS = ['provisioning-worker', 'billing-worker', 'calling-worker', 'delivery-worker'] as const;
export type WorkerApp = (typeof WORKER_APPS)[number];

export const QUEUE_OWNER: Record<QueueName, WorkerApp> = {
  provisioning: 'provisioning-worker',
  billing: 'billing-worker',
  calling: 'calling-worker',
  // Our only traffic to addresses customers choose: its own process, so it scales (and is
  // fenced off the network) apart from the lifecycle.
  deliveries: 'delivery-worker',
};
