-- AlterTable
ALTER TABLE "billing_accounts" ADD COLUMN     "quantity_sync_claimed_at" TIMESTAMPTZ(3),
ADD COLUMN     "quantity_sync_job_id" TEXT;

