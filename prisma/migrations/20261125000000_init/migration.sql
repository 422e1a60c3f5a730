-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "NumberStatus" AS ENUM ('pending_payment', 'provisioning', 'pending_regulatory', 'regulatory_declined', 'verifying', 'active', 'suspended', 'releasing', 'released');

-- CreateEnum
CREATE TYPE "NumberType" AS ENUM ('local', 'mobile', 'national', 'toll_free');

-- CreateEnum
CREATE TYPE "Actor" AS ENUM ('customer', 'system', 'stripe', 'telnyx', 'meta', 'admin');

-- CreateEnum
CREATE TYPE "Provider" AS ENUM ('stripe', 'telnyx', 'meta');

-- CreateEnum
CREATE TYPE "OutboxKind" AS ENUM ('job', 'event');

-- CreateEnum
CREATE TYPE "CallStatus" AS ENUM ('dialing', 'ringing', 'answered', 'ended', 'failed');

-- CreateEnum
CREATE TYPE "CallDirection" AS ENUM ('outbound', 'inbound');

-- CreateEnum
CREATE TYPE "CallPermissionStatus" AS ENUM ('no_permission', 'temporary', 'permanent', 'refused');

-- CreateEnum
CREATE TYPE "IdempotencyState" AS ENUM ('in_flight', 'completed');

-- CreateTable
CREATE TABLE "plans" (
    "code" VARCHAR(32) NOT NULL,
    "name" TEXT NOT NULL,
    "max_numbers" INTEGER NOT NULL,
    "price_cents" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "plans_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "accounts" (
    "id" VARCHAR(24) NOT NULL,
    "name" TEXT NOT NULL,
    "plan_code" VARCHAR(32) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "accounts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_keys" (
    "id" VARCHAR(24) NOT NULL,
    "account_id" VARCHAR(24) NOT NULL,
    "name" TEXT NOT NULL DEFAULT 'default',
    "prefix" VARCHAR(16) NOT NULL,
    "key_hash" CHAR(64) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "profiles" (
    "id" VARCHAR(24) NOT NULL,
    "account_id" VARCHAR(24) NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "profiles_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "countries" (
    "code" CHAR(2) NOT NULL,
    "name" TEXT NOT NULL,
    "tier" SMALLINT NOT NULL,
    "monthly_cents" INTEGER NOT NULL,
    "needs_kyc" BOOLEAN NOT NULL,
    "outbound_calling_available" BOOLEAN NOT NULL,
    "default_number_type" "NumberType" NOT NULL,
    "kyc_requirements" JSONB NOT NULL DEFAULT '[]',
    "available" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "countries_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "phone_numbers" (
    "id" VARCHAR(24) NOT NULL,
    "account_id" VARCHAR(24) NOT NULL,
    "profile_id" VARCHAR(24) NOT NULL,
    "phone_number" VARCHAR(20),
    "country" CHAR(2) NOT NULL,
    "number_type" "NumberType" NOT NULL DEFAULT 'local',
    "status" "NumberStatus" NOT NULL,
    "monthly_cents" INTEGER NOT NULL,
    "registrant_name" TEXT,
    "end_user_first_name" TEXT,
    "end_user_last_name" TEXT,
    "telnyx_order_id" TEXT,
    "telnyx_number_id" TEXT,
    "requirement_group_id" TEXT,
    "meta_phone_number_id" TEXT,
    "meta_preverified_id" TEXT,
    "meta_verification_status" TEXT,
    "onfido_verification_url" TEXT,
    "regulatory_decline_reason" TEXT,
    "regulatory_declined_at" TIMESTAMPTZ(3),
    "failure_reason" TEXT,
    "calling_enabled" BOOLEAN NOT NULL DEFAULT false,
    "calling_forward_to" TEXT,
    "calling_recording_enabled" BOOLEAN NOT NULL DEFAULT false,
    "sip_username" TEXT,
    "sip_password_sealed" TEXT,
    "paid_first" BOOLEAN NOT NULL DEFAULT false,
    "version" INTEGER NOT NULL DEFAULT 0,
    "provisioned_at" TIMESTAMPTZ(3),
    "activated_at" TIMESTAMPTZ(3),
    "released_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "phone_numbers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "number_status_history" (
    "id" BIGSERIAL NOT NULL,
    "number_id" VARCHAR(24) NOT NULL,
    "from_status" "NumberStatus",
    "to_status" "NumberStatus",
    "event" VARCHAR(64) NOT NULL,
    "applied" BOOLEAN NOT NULL DEFAULT true,
    "cause" TEXT,
    "actor" "Actor" NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "number_status_history_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "connected_numbers" (
    "id" VARCHAR(24) NOT NULL,
    "account_id" VARCHAR(24) NOT NULL,
    "profile_id" VARCHAR(24) NOT NULL,
    "social_account_id" VARCHAR(24) NOT NULL,
    "phone_number" VARCHAR(20) NOT NULL,
    "display_name" TEXT,
    "calling_enabled" BOOLEAN NOT NULL DEFAULT false,
    "connected_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "connected_numbers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "billing_accounts" (
    "account_id" VARCHAR(24) NOT NULL,
    "stripe_customer_id" TEXT,
    "stripe_subscription_id" TEXT,
    "stripe_subscription_item_id" TEXT,
    "subscription_status" TEXT,
    "quantity" INTEGER NOT NULL DEFAULT 0,
    "version" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "billing_accounts_pkey" PRIMARY KEY ("account_id")
);

-- CreateTable
CREATE TABLE "ledger_entries" (
    "id" VARCHAR(24) NOT NULL,
    "account_id" VARCHAR(24) NOT NULL,
    "number_id" VARCHAR(24),
    "kind" VARCHAR(32) NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "currency" CHAR(3) NOT NULL DEFAULT 'usd',
    "stripe_object_id" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ledger_entries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "purchase_intents" (
    "account_id" VARCHAR(24) NOT NULL,
    "intent_id" VARCHAR(128) NOT NULL,
    "number_id" VARCHAR(24),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "purchase_intents_pkey" PRIMARY KEY ("account_id","intent_id")
);

-- CreateTable
CREATE TABLE "regulatory_cases" (
    "id" VARCHAR(24) NOT NULL,
    "account_id" VARCHAR(24) NOT NULL,
    "number_id" VARCHAR(24) NOT NULL,
    "country" CHAR(2) NOT NULL,
    "number_type" "NumberType" NOT NULL,
    "requirement_group_id" TEXT,
    "submitted_values" JSONB NOT NULL DEFAULT '{}',
    "documents" JSONB NOT NULL DEFAULT '{}',
    "address" JSONB,
    "decline_reason" TEXT,
    "fields_to_fix" JSONB NOT NULL DEFAULT '[]',
    "submitted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decided_at" TIMESTAMPTZ(3),

    CONSTRAINT "regulatory_cases_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "calls" (
    "id" VARCHAR(24) NOT NULL,
    "account_id" VARCHAR(24) NOT NULL,
    "number_id" VARCHAR(24) NOT NULL,
    "direction" "CallDirection" NOT NULL,
    "status" "CallStatus" NOT NULL,
    "to" VARCHAR(20) NOT NULL,
    "forward_to" TEXT,
    "recording_enabled" BOOLEAN NOT NULL DEFAULT false,
    "telnyx_call_control_id" TEXT,
    "hangup_cause" TEXT,
    "duration_seconds" INTEGER,
    "answered_at" TIMESTAMPTZ(3),
    "ended_at" TIMESTAMPTZ(3),
    "version" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "calls_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "call_permissions" (
    "account_id" VARCHAR(24) NOT NULL,
    "number_id" VARCHAR(24) NOT NULL,
    "consumer" VARCHAR(20) NOT NULL,
    "status" "CallPermissionStatus" NOT NULL,
    "expires_at" TIMESTAMPTZ(3),
    "window_opened_at" TIMESTAMPTZ(3),
    "last_connected_call_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "call_permissions_pkey" PRIMARY KEY ("number_id","consumer")
);

-- CreateTable
CREATE TABLE "call_permission_prompts" (
    "id" VARCHAR(24) NOT NULL,
    "number_id" VARCHAR(24) NOT NULL,
    "consumer" VARCHAR(20) NOT NULL,
    "body_text" TEXT,
    "meta_message_id" TEXT,
    "sent_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "call_permission_prompts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_events" (
    "id" VARCHAR(24) NOT NULL,
    "provider" "Provider" NOT NULL,
    "event_id" TEXT NOT NULL,
    "event_type" TEXT NOT NULL,
    "raw_body" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processed_at" TIMESTAMPTZ(3),
    "outcome" TEXT,
    "detail" TEXT,

    CONSTRAINT "webhook_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbox" (
    "id" BIGSERIAL NOT NULL,
    "kind" "OutboxKind" NOT NULL,
    "name" VARCHAR(64) NOT NULL,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,

    CONSTRAINT "outbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "idempotency_records" (
    "account_id" VARCHAR(24) NOT NULL,
    "key" VARCHAR(255) NOT NULL,
    "scope" VARCHAR(128) NOT NULL,
    "request_hash" CHAR(64) NOT NULL,
    "state" "IdempotencyState" NOT NULL,
    "status_code" INTEGER,
    "response_body" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "idempotency_records_pkey" PRIMARY KEY ("account_id","scope","key")
);

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_prefix_key" ON "api_keys"("prefix");

-- CreateIndex
CREATE INDEX "api_keys_account_id_idx" ON "api_keys"("account_id");

-- CreateIndex
CREATE INDEX "profiles_account_id_idx" ON "profiles"("account_id");

-- CreateIndex
CREATE INDEX "phone_numbers_account_id_status_created_at_id_idx" ON "phone_numbers"("account_id", "status", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "phone_numbers_account_id_profile_id_status_created_at_idx" ON "phone_numbers"("account_id", "profile_id", "status", "created_at" DESC);

-- CreateIndex
CREATE INDEX "phone_numbers_account_id_regulatory_declined_at_idx" ON "phone_numbers"("account_id", "regulatory_declined_at");

-- CreateIndex
CREATE INDEX "phone_numbers_telnyx_order_id_idx" ON "phone_numbers"("telnyx_order_id");

-- CreateIndex
CREATE INDEX "phone_numbers_telnyx_number_id_idx" ON "phone_numbers"("telnyx_number_id");

-- CreateIndex
CREATE INDEX "phone_numbers_requirement_group_id_idx" ON "phone_numbers"("requirement_group_id");

-- CreateIndex
CREATE INDEX "phone_numbers_meta_phone_number_id_idx" ON "phone_numbers"("meta_phone_number_id");

-- CreateIndex
CREATE INDEX "phone_numbers_phone_number_idx" ON "phone_numbers"("phone_number");

-- CreateIndex
CREATE INDEX "number_status_history_number_id_at_idx" ON "number_status_history"("number_id", "at");

-- CreateIndex
CREATE INDEX "connected_numbers_account_id_profile_id_idx" ON "connected_numbers"("account_id", "profile_id");

-- CreateIndex
CREATE UNIQUE INDEX "billing_accounts_stripe_customer_id_key" ON "billing_accounts"("stripe_customer_id");

-- CreateIndex
CREATE UNIQUE INDEX "billing_accounts_stripe_subscription_id_key" ON "billing_accounts"("stripe_subscription_id");

-- CreateIndex
CREATE INDEX "ledger_entries_account_id_at_idx" ON "ledger_entries"("account_id", "at");

-- CreateIndex
CREATE UNIQUE INDEX "ledger_entries_stripe_object_id_kind_number_id_key" ON "ledger_entries"("stripe_object_id", "kind", "number_id");

-- CreateIndex
CREATE UNIQUE INDEX "purchase_intents_number_id_key" ON "purchase_intents"("number_id");

-- CreateIndex
CREATE UNIQUE INDEX "regulatory_cases_number_id_key" ON "regulatory_cases"("number_id");

-- CreateIndex
CREATE INDEX "regulatory_cases_account_id_country_idx" ON "regulatory_cases"("account_id", "country");

-- CreateIndex
CREATE UNIQUE INDEX "calls_telnyx_call_control_id_key" ON "calls"("telnyx_call_control_id");

-- CreateIndex
CREATE INDEX "calls_account_id_created_at_id_idx" ON "calls"("account_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "calls_number_id_created_at_id_idx" ON "calls"("number_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "call_permissions_account_id_idx" ON "call_permissions"("account_id");

-- CreateIndex
CREATE INDEX "call_permission_prompts_number_id_consumer_sent_at_idx" ON "call_permission_prompts"("number_id", "consumer", "sent_at");

-- CreateIndex
CREATE UNIQUE INDEX "webhook_events_provider_event_id_key" ON "webhook_events"("provider", "event_id");

-- CreateIndex
CREATE INDEX "outbox_published_at_id_idx" ON "outbox"("published_at", "id");

-- AddForeignKey
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_plan_code_fkey" FOREIGN KEY ("plan_code") REFERENCES "plans"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "profiles" ADD CONSTRAINT "profiles_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "phone_numbers" ADD CONSTRAINT "phone_numbers_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "phone_numbers" ADD CONSTRAINT "phone_numbers_profile_id_fkey" FOREIGN KEY ("profile_id") REFERENCES "profiles"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "number_status_history" ADD CONSTRAINT "number_status_history_number_id_fkey" FOREIGN KEY ("number_id") REFERENCES "phone_numbers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "connected_numbers" ADD CONSTRAINT "connected_numbers_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "connected_numbers" ADD CONSTRAINT "connected_numbers_profile_id_fkey" FOREIGN KEY ("profile_id") REFERENCES "profiles"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "billing_accounts" ADD CONSTRAINT "billing_accounts_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "purchase_intents" ADD CONSTRAINT "purchase_intents_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "purchase_intents" ADD CONSTRAINT "purchase_intents_number_id_fkey" FOREIGN KEY ("number_id") REFERENCES "phone_numbers"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "regulatory_cases" ADD CONSTRAINT "regulatory_cases_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "regulatory_cases" ADD CONSTRAINT "regulatory_cases_number_id_fkey" FOREIGN KEY ("number_id") REFERENCES "phone_numbers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "calls" ADD CONSTRAINT "calls_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "calls" ADD CONSTRAINT "calls_number_id_fkey" FOREIGN KEY ("number_id") REFERENCES "phone_numbers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "call_permissions" ADD CONSTRAINT "call_permissions_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "idempotency_records" ADD CONSTRAINT "idempotency_records_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

