-- CreateIndex
CREATE INDEX "webhook_delivery_logs_event_id_idx" ON "webhook_delivery_logs"("event_id");
