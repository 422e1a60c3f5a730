-- AlterTable
ALTER TABLE "billing_accounts" ADD COLUMN     "quantity_sync_claim" INTEGER NOT NULL DEFAULT 0;

