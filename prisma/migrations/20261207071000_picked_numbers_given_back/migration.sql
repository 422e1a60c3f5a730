-- AlterTable
ALTER TABLE "phone_numbers" ADD COLUMN     "given_back_phone_numbers" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "phone_number_picked" BOOLEAN NOT NULL DEFAULT false;

