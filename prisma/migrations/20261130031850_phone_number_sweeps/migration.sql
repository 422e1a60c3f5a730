-- AlterTable
ALTER TABLE "phone_numbers" ADD COLUMN     "swept_at" TIMESTAMPTZ(3),
ADD COLUMN     "whatsapp_code_requested_at" TIMESTAMPTZ(3),
ADD COLUMN     "whatsapp_code_requests" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "phone_numbers_status_idx" ON "phone_numbers"("status");

