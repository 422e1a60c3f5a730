-- Money: the ledger explains every movement (its Stripe object, subscription, invoice, a key
-- that makes it one), billing accounts remember when the reconciler last looked, and a
-- suspended number says why.

-- AlterTable
ALTER TABLE "phone_numbers" ADD COLUMN     "suspension_reason" TEXT;

-- AlterTable
ALTER TABLE "billing_accounts" ADD COLUMN     "reconciled_at" TIMESTAMPTZ(3);

-- DropIndex
DROP INDEX "ledger_entries_stripe_object_id_kind_number_id_key";

-- AlterTable
ALTER TABLE "ledger_entries" ADD COLUMN     "entry_key" TEXT,
ADD COLUMN     "invoice_id" TEXT,
ADD COLUMN     "stripe_object_type" VARCHAR(32) NOT NULL DEFAULT 'subscription',
ADD COLUMN     "subscription_id" TEXT;

-- Existing rows are the billing markers, whose object was the subscription: charge and proration per number.
UPDATE "ledger_entries" SET "subscription_id" = "stripe_object_id" WHERE "kind" IN ('charge', 'proration');

UPDATE "ledger_entries" SET "entry_key" = "kind" || ':' || "stripe_object_id" || ':' || COALESCE("number_id", "id");

ALTER TABLE "ledger_entries" ALTER COLUMN "entry_key" SET NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "ledger_entries_entry_key_key" ON "ledger_entries"("entry_key");

-- CreateIndex
CREATE INDEX "ledger_entries_invoice_id_idx" ON "ledger_entries"("invoice_id");

-- CreateIndex
CREATE INDEX "ledger_entries_number_id_idx" ON "ledger_entries"("number_id");
