-- CreateTable
CREATE TABLE "webhook_endpoints" (
    "id" VARCHAR(24) NOT NULL,
    "account_id" VARCHAR(24) NOT NULL,
    "name" VARCHAR(50) NOT NULL,
    "url" TEXT NOT NULL,
    "secret_sealed" TEXT NOT NULL,
    "events" TEXT[],
    "is_active" BOOLEAN NOT NULL DEFAULT true,
    "custom_headers" JSONB NOT NULL DEFAULT '{}',
    "failure_count" INTEGER NOT NULL DEFAULT 0,
    "last_fired_at" TIMESTAMPTZ(3),
    "failing_since" TIMESTAMPTZ(3),
    "disabled_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_endpoints_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "customer_events" (
    "id" VARCHAR(24) NOT NULL,
    "account_id" VARCHAR(24) NOT NULL,
    "type" VARCHAR(64) NOT NULL,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "customer_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_delivery_logs" (
    "id" BIGSERIAL NOT NULL,
    "account_id" VARCHAR(24) NOT NULL,
    "webhook_id" VARCHAR(24) NOT NULL,
    "webhook_name" VARCHAR(50) NOT NULL,
    "event_id" VARCHAR(24) NOT NULL,
    "event" VARCHAR(64) NOT NULL,
    "url" TEXT NOT NULL,
    "status" VARCHAR(8) NOT NULL,
    "status_code" INTEGER,
    "request_payload" JSONB NOT NULL,
    "response_body" TEXT,
    "error_message" TEXT,
    "attempt_number" INTEGER NOT NULL,
    "response_time_ms" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_delivery_logs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "webhook_endpoints_account_id_idx" ON "webhook_endpoints"("account_id");

-- CreateIndex
CREATE INDEX "customer_events_account_id_created_at_idx" ON "customer_events"("account_id", "created_at");

-- CreateIndex
CREATE INDEX "customer_events_created_at_idx" ON "customer_events"("created_at");

-- CreateIndex
CREATE INDEX "webhook_delivery_logs_account_id_created_at_id_idx" ON "webhook_delivery_logs"("account_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "webhook_delivery_logs_webhook_id_created_at_idx" ON "webhook_delivery_logs"("webhook_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "webhook_delivery_logs_created_at_idx" ON "webhook_delivery_logs"("created_at");

-- AddForeignKey
ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "customer_events" ADD CONSTRAINT "customer_events_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

