-- CreateIndex
CREATE INDEX "ledger_entries_subscription_id_kind_idx" ON "ledger_entries"("subscription_id", "kind");

