import { JobRouter, QueueProcessor } from '@numbers/messaging';

/** Takes the `provisioning` queue's jobs and routes each to its one handler in this folder. */
@QueueProcessor('provisioning')
export class ProvisioningProcessor extends JobRouter {}
