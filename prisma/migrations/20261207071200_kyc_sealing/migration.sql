-- AlterTable
ALTER TABLE "regulatory_cases" ADD COLUMN     "data_key_sealed" TEXT,
ADD COLUMN     "kyc_erased_at" TIMESTAMPTZ(3),
ADD COLUMN     "sealed_submission" BYTEA;

-- AlterTable
ALTER TABLE "kyc_documents" ADD COLUMN     "data_key_sealed" TEXT;

