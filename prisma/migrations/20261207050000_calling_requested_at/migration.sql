-- When calling was last asked on or off while on its way: the calling sweep's clock.
ALTER TABLE "phone_numbers" ADD COLUMN "calling_requested_at" TIMESTAMPTZ(3);
