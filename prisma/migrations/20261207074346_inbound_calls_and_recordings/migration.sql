-- AlterTable
ALTER TABLE "calls" ADD COLUMN     "meta_call_id" TEXT,
ADD COLUMN     "recording_id" TEXT,
ADD COLUMN     "recording_saved_at" TIMESTAMPTZ(3);

-- CreateIndex
CREATE UNIQUE INDEX "calls_meta_call_id_key" ON "calls"("meta_call_id");

