-- AlterTable
ALTER TABLE "phone_numbers" ADD COLUMN     "carrier_orders" INTEGER NOT NULL DEFAULT 0;

