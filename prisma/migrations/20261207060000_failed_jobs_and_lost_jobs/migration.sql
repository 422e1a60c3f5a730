-- CreateEnum
CREATE TYPE "FailedJobStatus" AS ENUM ('waiting', 'redriven', 'resolved', 'abandoned');

-- AlterTable
ALTER TABLE "outbox" ADD COLUMN     "checked_at" TIMESTAMPTZ(3),
ADD COLUMN     "finished_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "failed_jobs" (
    "id" BIGSERIAL NOT NULL,
    "outbox_id" BIGINT,
    "job_id" VARCHAR(255) NOT NULL,
    "name" VARCHAR(64) NOT NULL,
    "payload" JSONB NOT NULL,
    "reason" VARCHAR(16) NOT NULL,
    "attempts" INTEGER NOT NULL,
    "total_attempts" INTEGER NOT NULL,
    "last_error" TEXT NOT NULL,
    "status" "FailedJobStatus" NOT NULL,
    "redrives" INTEGER NOT NULL DEFAULT 0,
    "next_redrive_at" TIMESTAMPTZ(3),
    "first_failed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "failed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "redriven_at" TIMESTAMPTZ(3),
    "resolved_at" TIMESTAMPTZ(3),

    CONSTRAINT "failed_jobs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "failed_jobs_outbox_id_key" ON "failed_jobs"("outbox_id");

-- CreateIndex
CREATE INDEX "failed_jobs_status_next_redrive_at_idx" ON "failed_jobs"("status", "next_redrive_at");

-- CreateIndex
CREATE INDEX "outbox_finished_at_published_at_idx" ON "outbox"("finished_at", "published_at");


-- Rows published before this release: their jobs ran long ago (or are in failed sets already),
-- so recover-lost-jobs must not take them for lost.
UPDATE "outbox" SET "finished_at" = "published_at" WHERE "published_at" IS NOT NULL;
