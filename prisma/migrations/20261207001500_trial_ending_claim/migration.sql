-- AlterTable
ALTER TABLE "billing_accounts" ADD COLUMN     "trial_ending_number_id" VARCHAR(24);
