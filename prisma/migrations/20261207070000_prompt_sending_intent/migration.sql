-- AlterTable
ALTER TABLE "call_permission_prompts" ADD COLUMN     "sending_at" TIMESTAMPTZ(3);

