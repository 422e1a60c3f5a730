import type { Insertable, Selectable } from 'kysely';
import type * as schema from './schema.generated';

// Whole rows as a query returns them, under the schema's model names.
export type Account = Selectable<schema.Account>;
export type BillingAccount = Selectable<schema.BillingAccount>;
export type Call = Selectable<schema.Call>;
export type CallPermission = Selectable<schema.CallPermission>;
export type CallPermissionPrompt = Selectable<schema.CallPermissionPrompt>;
export type LedgerEntry = Selectable<schema.LedgerEntry>;
export type PhoneNumber = Selectable<schema.PhoneNumber>;
export type RegulatoryCase = Selectable<schema.RegulatoryCase>;
export type WebhookEvent = Selectable<schema.WebhookEvent>;
export type WebhookEndpoint = Selectable<schema.WebhookEndpoint>;
export type CustomerEvent = Selectable<schema.CustomerEvent>;
export type WebhookDeliveryLog = Selectable<schema.WebhookDeliveryLog>;
export type StockWatch = Selectable<schema.StockWatch>;

export type { Actor, NumberType, DB } from './schema.generated';
export type NewPhoneNumber = Insertable<schema.PhoneNumber>;
