-- AlterTable
ALTER TABLE "accounts" ADD COLUMN     "disabled_at" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "webhook_events_processed_at_idx" ON "webhook_events"("processed_at");

-- CreateIndex
CREATE INDEX "idempotency_records_created_at_idx" ON "idempotency_records"("created_at");

