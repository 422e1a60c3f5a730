-- AlterTable
ALTER TABLE "regulatory_cases" ADD COLUMN     "reused_from_case_id" VARCHAR(24),
ADD COLUMN     "review_round" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "submitted_round" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "verdict" VARCHAR(16);

-- CreateTable
CREATE TABLE "kyc_documents" (
    "id" VARCHAR(24) NOT NULL,
    "account_id" VARCHAR(24) NOT NULL,
    "filename" VARCHAR(255) NOT NULL,
    "content_type" VARCHAR(100) NOT NULL,
    "size_bytes" INTEGER NOT NULL,
    "sha256" CHAR(64) NOT NULL,
    "content" BYTEA NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "kyc_documents_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "kyc_documents_account_id_created_at_idx" ON "kyc_documents"("account_id", "created_at");

-- AddForeignKey
ALTER TABLE "kyc_documents" ADD CONSTRAINT "kyc_documents_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

