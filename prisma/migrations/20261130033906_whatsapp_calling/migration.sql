-- AlterTable
ALTER TABLE "phone_numbers" ADD COLUMN     "calling_detail" TEXT,
ADD COLUMN     "calling_forward_caller_id" VARCHAR(16),
ADD COLUMN     "calling_generation" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "calling_icon_countries" JSONB,
ADD COLUMN     "calling_max_duration_seconds" INTEGER,
ADD COLUMN     "calling_status" VARCHAR(16) NOT NULL DEFAULT 'disabled',
ADD COLUMN     "forward_sip_password_sealed" TEXT,
ADD COLUMN     "forward_sip_username" TEXT;

-- AlterTable
ALTER TABLE "calls" ADD COLUMN     "from_number" VARCHAR(20) NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "call_permissions" ADD COLUMN     "decided_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "call_permission_prompts" ADD COLUMN     "failure_reason" TEXT,
ADD COLUMN     "status" VARCHAR(16) NOT NULL DEFAULT 'queued';

