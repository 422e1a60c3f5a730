import type { ColumnType } from "kysely";
export type Generated<T> = T extends ColumnType<infer S, infer I, infer U>
  ? ColumnType<S, I | undefined, U>
  : ColumnType<T, T | undefined, T>;
export type Timestamp = ColumnType<Date, Date | string, Date | string>;

export const NumberStatus = {
    pending_payment: "pending_payment",
    provisioning: "provisioning",
    pending_regulatory: "pending_regulatory",
    regulatory_declined: "regulatory_declined",
    verifying: "verifying",
    active: "active",
    suspended: "suspended",
    releasing: "releasing",
    released: "released"
} as const;
export type NumberStatus = (typeof NumberStatus)[keyof typeof NumberStatus];
export const NumberType = {
    local: "local",
    mobile: "mobile",
    national: "national",
    toll_free: "toll_free"
} as const;
export type NumberType = (typeof NumberType)[keyof typeof NumberType];
export const Actor = {
    customer: "customer",
    system: "system",
    stripe: "stripe",
    telnyx: "telnyx",
    meta: "meta",
    admin: "admin"
} as const;
export type Actor = (typeof Actor)[keyof typeof Actor];
export const Provider = {
    stripe: "stripe",
    telnyx: "telnyx",
    meta: "meta"
} as const;
export type Provider = (typeof Provider)[keyof typeof Provider];
export const OutboxKind = {
    job: "job",
    event: "event"
} as const;
export type OutboxKind = (typeof OutboxKind)[keyof typeof OutboxKind];
export const CallStatus = {
    dialing: "dialing",
    ringing: "ringing",
    answered: "answered",
    ended: "ended",
    failed: "failed"
} as const;
export type CallStatus = (typeof CallStatus)[keyof typeof CallStatus];
export const CallDirection = {
    outbound: "outbound",
    inbound: "inbound"
} as const;
export type CallDirection = (typeof CallDirection)[keyof typeof CallDirection];
export const CallPermissionStatus = {
    no_permission: "no_permission",
    temporary: "temporary",
    permanent: "permanent",
    refused: "refused"
} as const;
export type CallPermissionStatus = (typeof CallPermissionStatus)[keyof typeof CallPermissionStatus];
export const IdempotencyState = {
    in_flight: "in_flight",
    completed: "completed"
} as const;
export type IdempotencyState = (typeof IdempotencyState)[keyof typeof IdempotencyState];
export const FailedJobStatus = {
    waiting: "waiting",
    redriven: "redriven",
    resolved: "resolved",
    abandoned: "abandoned"
} as const;
export type FailedJobStatus = (typeof FailedJobStatus)[keyof typeof FailedJobStatus];
export type Account = {
    id: string;
    name: string;
    planCode: string;
    createdAt: Generated<Timestamp>;
    disabledAt: Timestamp | null;
};
export type ApiKey = {
    id: string;
    accountId: string;
    name: Generated<string>;
    prefix: string;
    keyHash: string;
    createdAt: Generated<Timestamp>;
    lastUsedAt: Timestamp | null;
    revokedAt: Timestamp | null;
};
export type BillingAccount = {
    accountId: string;
    stripeCustomerId: string | null;
    stripeSubscriptionId: string | null;
    stripeSubscriptionItemId: string | null;
    subscriptionStatus: string | null;
    quantity: Generated<number>;
    reconciledAt: Timestamp | null;
    trialEndingNumberId: string | null;
    quantitySyncJobId: string | null;
    quantitySyncClaimedAt: Timestamp | null;
    quantitySyncClaim: Generated<number>;
    version: Generated<number>;
    updatedAt: Generated<Timestamp>;
};
export type Call = {
    id: string;
    accountId: string;
    numberId: string;
    direction: CallDirection;
    status: CallStatus;
    to: string;
    forwardTo: string | null;
    recordingEnabled: Generated<boolean>;
    telnyxCallControlId: string | null;
    fromNumber: Generated<string>;
    metaCallId: string | null;
    recordingId: string | null;
    recordingSavedAt: Timestamp | null;
    hangupCause: string | null;
    durationSeconds: number | null;
    answeredAt: Timestamp | null;
    endedAt: Timestamp | null;
    version: Generated<number>;
    createdAt: Generated<Timestamp>;
};
export type CallPermission = {
    accountId: string;
    numberId: string;
    consumer: string;
    status: CallPermissionStatus;
    expiresAt: Timestamp | null;
    windowOpenedAt: Timestamp | null;
    lastConnectedCallAt: Timestamp | null;
    decidedAt: Timestamp | null;
    updatedAt: Generated<Timestamp>;
};
export type CallPermissionPrompt = {
    id: string;
    numberId: string;
    consumer: string;
    bodyText: string | null;
    metaMessageId: string | null;
    status: Generated<string>;
    failureReason: string | null;
    sentAt: Generated<Timestamp>;
    sendingAt: Timestamp | null;
};
export type CallRate = {
    destination: string;
    metaMicrosPerMinute: number;
    carrierMicrosPerMinute: number;
    recordingMicrosPerMinute: number;
    source: string;
    updatedAt: Generated<Timestamp>;
};
export type ConnectedNumber = {
    id: string;
    accountId: string;
    profileId: string;
    socialAccountId: string;
    phoneNumber: string;
    displayName: string | null;
    callingEnabled: Generated<boolean>;
    connectedAt: Generated<Timestamp>;
};
export type Country = {
    code: string;
    name: string;
    tier: number;
    monthlyCents: number;
    needsKyc: boolean;
    outboundCallingAvailable: boolean;
    defaultNumberType: NumberType;
    kycRequirements: Generated<unknown>;
    available: Generated<boolean>;
};
export type CustomerEvent = {
    id: string;
    accountId: string;
    type: string;
    payload: unknown;
    createdAt: Generated<Timestamp>;
};
export type FailedJob = {
    id: Generated<string>;
    outboxId: string | null;
    jobId: string;
    name: string;
    payload: unknown;
    reason: string;
    attempts: number;
    totalAttempts: number;
    lastError: string;
    status: FailedJobStatus;
    redrives: Generated<number>;
    nextRedriveAt: Timestamp | null;
    firstFailedAt: Generated<Timestamp>;
    failedAt: Generated<Timestamp>;
    redrivenAt: Timestamp | null;
    resolvedAt: Timestamp | null;
};
export type IdempotencyRecord = {
    accountId: string;
    key: string;
    scope: string;
    requestHash: string;
    state: IdempotencyState;
    statusCode: number | null;
    responseBody: unknown | null;
    createdAt: Generated<Timestamp>;
    completedAt: Timestamp | null;
};
export type KycDocument = {
    id: string;
    accountId: string;
    filename: string;
    contentType: string;
    sizeBytes: number;
    sha256: string;
    content: Buffer;
    dataKeySealed: string | null;
    createdAt: Generated<Timestamp>;
};
export type KycLink = {
    id: string;
    accountId: string;
    profileId: string;
    country: string;
    language: string | null;
    companyName: string | null;
    logoUrl: string | null;
    brandColor: string | null;
    redirectUrl: string | null;
    tokenHash: string;
    expiresAt: Timestamp;
    submittedAt: Timestamp | null;
    numberId: string | null;
    createdAt: Generated<Timestamp>;
};
export type LedgerEntry = {
    id: string;
    accountId: string;
    numberId: string | null;
    kind: string;
    amountCents: number;
    currency: Generated<string>;
    stripeObjectId: string;
    stripeObjectType: Generated<string>;
    subscriptionId: string | null;
    invoiceId: string | null;
    entryKey: string;
    description: string;
    at: Generated<Timestamp>;
};
export type NumberProfileMove = {
    id: Generated<string>;
    numberId: string;
    fromProfileId: string;
    toProfileId: string;
    cause: string | null;
    actor: Actor;
    at: Generated<Timestamp>;
};
export type NumberStatusHistory = {
    id: Generated<string>;
    numberId: string;
    fromStatus: NumberStatus | null;
    toStatus: NumberStatus | null;
    event: string;
    applied: Generated<boolean>;
    cause: string | null;
    actor: Actor;
    at: Generated<Timestamp>;
};
export type OutboxMessage = {
    id: Generated<string>;
    kind: OutboxKind;
    name: string;
    payload: unknown;
    createdAt: Generated<Timestamp>;
    publishedAt: Timestamp | null;
    attempts: Generated<number>;
    lastError: string | null;
    finishedAt: Timestamp | null;
    checkedAt: Timestamp | null;
    traceparent: string | null;
    requestId: string | null;
};
export type PhoneNumber = {
    id: string;
    accountId: string;
    profileId: string;
    phoneNumber: string | null;
    country: string;
    numberType: Generated<NumberType>;
    status: NumberStatus;
    monthlyCents: number;
    registrantName: string | null;
    endUserFirstName: string | null;
    endUserLastName: string | null;
    stripeCheckoutSessionId: string | null;
    telnyxOrderId: string | null;
    carrierOrders: Generated<number>;
    carrierOrderStartedAt: Timestamp | null;
    phoneNumberPicked: Generated<boolean>;
    givenBackPhoneNumbers: Generated<string[]>;
    telnyxNumberId: string | null;
    requirementGroupId: string | null;
    metaPhoneNumberId: string | null;
    metaPreverifiedId: string | null;
    metaVerificationStatus: string | null;
    whatsappCodeRequestedAt: Timestamp | null;
    whatsappCodeRequests: Generated<number>;
    onfidoVerificationUrl: string | null;
    regulatoryDeclineReason: string | null;
    regulatoryDeclinedAt: Timestamp | null;
    failureReason: string | null;
    suspensionReason: string | null;
    callingEnabled: Generated<boolean>;
    callingForwardTo: string | null;
    callingRecordingEnabled: Generated<boolean>;
    sipUsername: string | null;
    sipPasswordSealed: string | null;
    callingStatus: Generated<string>;
    callingDetail: string | null;
    callingGeneration: Generated<number>;
    callingRequestedAt: Timestamp | null;
    callingIconCountries: unknown | null;
    callingMaxDurationSeconds: number | null;
    callingForwardCallerId: string | null;
    forwardSipUsername: string | null;
    forwardSipPasswordSealed: string | null;
    paidFirst: Generated<boolean>;
    version: Generated<number>;
    sweptAt: Timestamp | null;
    provisionedAt: Timestamp | null;
    activatedAt: Timestamp | null;
    releasedAt: Timestamp | null;
    createdAt: Generated<Timestamp>;
    updatedAt: Generated<Timestamp>;
};
export type Plan = {
    code: string;
    name: string;
    maxNumbers: number;
    priceCents: number;
    createdAt: Generated<Timestamp>;
};
export type Profile = {
    id: string;
    accountId: string;
    name: string;
    createdAt: Generated<Timestamp>;
};
export type PurchaseIntent = {
    accountId: string;
    intentId: string;
    numberId: string | null;
    createdAt: Generated<Timestamp>;
};
export type RegulatoryCase = {
    id: string;
    accountId: string;
    numberId: string;
    country: string;
    numberType: NumberType;
    requirementGroupId: string | null;
    submittedValues: Generated<unknown>;
    documents: Generated<unknown>;
    address: unknown | null;
    declineReason: string | null;
    fieldsToFix: Generated<unknown>;
    submittedAt: Generated<Timestamp>;
    decidedAt: Timestamp | null;
    reviewRound: Generated<number>;
    submittedRound: Generated<number>;
    verdict: string | null;
    reusedFromCaseId: string | null;
    sealedSubmission: Buffer | null;
    dataKeySealed: string | null;
    kycErasedAt: Timestamp | null;
};
export type StockWatch = {
    id: string;
    accountId: string;
    country: string;
    numberType: NumberType | null;
    areaCode: string | null;
    checkedAt: Timestamp | null;
    createdAt: Generated<Timestamp>;
};
export type SubscriptionItem = {
    accountId: string;
    subscriptionId: string;
    monthlyCents: number;
    priceId: string;
    itemId: string;
    quantity: Generated<number>;
    updatedAt: Generated<Timestamp>;
};
export type WebhookDeliveryLog = {
    id: Generated<string>;
    accountId: string;
    webhookId: string;
    webhookName: string;
    eventId: string;
    event: string;
    url: string;
    status: string;
    statusCode: number | null;
    requestPayload: unknown;
    responseBody: string | null;
    errorMessage: string | null;
    attemptNumber: number;
    responseTimeMs: number;
    createdAt: Generated<Timestamp>;
};
export type WebhookEndpoint = {
    id: string;
    accountId: string;
    name: string;
    url: string;
    secretSealed: string;
    events: string[];
    isActive: Generated<boolean>;
    customHeaders: Generated<unknown>;
    failureCount: Generated<number>;
    lastFiredAt: Timestamp | null;
    failingSince: Timestamp | null;
    disabledReason: string | null;
    createdAt: Generated<Timestamp>;
    updatedAt: Generated<Timestamp>;
};
export type WebhookEvent = {
    id: string;
    provider: Provider;
    eventId: string;
    eventType: string;
    rawBody: string;
    receivedAt: Generated<Timestamp>;
    processedAt: Timestamp | null;
    outcome: string | null;
    detail: string | null;
};
export type DB = {
    accounts: Account;
    apiKeys: ApiKey;
    billingAccounts: BillingAccount;
    callPermissionPrompts: CallPermissionPrompt;
    callPermissions: CallPermission;
    callRates: CallRate;
    calls: Call;
    connectedNumbers: ConnectedNumber;
    countries: Country;
    customerEvents: CustomerEvent;
    failedJobs: FailedJob;
    idempotencyRecords: IdempotencyRecord;
    kycDocuments: KycDocument;
    kycLinks: KycLink;
    ledgerEntries: LedgerEntry;
    numberProfileMoves: NumberProfileMove;
    numberStatusHistory: NumberStatusHistory;
    outbox: OutboxMessage;
    phoneNumbers: PhoneNumber;
    plans: Plan;
    profiles: Profile;
    purchaseIntents: PurchaseIntent;
    regulatoryCases: RegulatoryCase;
    stockWatches: StockWatch;
    subscriptionItems: SubscriptionItem;
    webhookDeliveryLogs: WebhookDeliveryLog;
    webhookEndpoints: WebhookEndpoint;
    webhookEvents: WebhookEvent;
};
