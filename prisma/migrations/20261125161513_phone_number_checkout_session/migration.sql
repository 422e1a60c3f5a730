-- AlterTable
ALTER TABLE "phone_numbers" ADD COLUMN     "stripe_checkout_session_id" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "phone_numbers_stripe_checkout_session_id_key" ON "phone_numbers"("stripe_checkout_session_id");

