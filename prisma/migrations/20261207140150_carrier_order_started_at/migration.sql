-- AlterTable
ALTER TABLE "phone_numbers" ADD COLUMN     "carrier_order_started_at" TIMESTAMPTZ(3);

