-- CreateTable
CREATE TABLE "call_rates" (
    "destination" VARCHAR(8) NOT NULL,
    "meta_micros_per_minute" INTEGER NOT NULL,
    "carrier_micros_per_minute" INTEGER NOT NULL,
    "recording_micros_per_minute" INTEGER NOT NULL,
    "source" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "call_rates_pkey" PRIMARY KEY ("destination")
);

-- CreateTable
CREATE TABLE "number_profile_moves" (
    "id" BIGSERIAL NOT NULL,
    "number_id" VARCHAR(24) NOT NULL,
    "from_profile_id" VARCHAR(24) NOT NULL,
    "to_profile_id" VARCHAR(24) NOT NULL,
    "cause" TEXT,
    "actor" "Actor" NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "number_profile_moves_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "number_profile_moves_number_id_at_idx" ON "number_profile_moves"("number_id", "at");

-- AddForeignKey
ALTER TABLE "number_profile_moves" ADD CONSTRAINT "number_profile_moves_number_id_fkey" FOREIGN KEY ("number_id") REFERENCES "phone_numbers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Reference data: the rates of the call estimate (GET /v1/whatsapp/calls/estimate), in micro-USD
-- per minute (5000 = 0.005 USD). ON CONFLICT DO NOTHING: a rate an operator has since corrected
-- is left as it is.
--
-- Where they come from, and how far they can be trusted (each row says it again in `source`):
--
-- Meta: "Calling API Pricing", WhatsApp Business Platform developer documentation,
--   https://developers.facebook.com/documentation/business-messaging/whatsapp/calling/pricing/
--   (updated Mar 30, 2026: rate cards effective April 1, 2026). The page says how a
--   business-initiated call is charged (six-second pulses, a started pulse counted whole, by the
--   country code of the number called, with monthly volume tiers) but the per-country USD rates
--   themselves are in the CSV and PDF rate cards it links, which could not be read when this
--   migration was written. The Meta column below is therefore PROVISIONAL and the same for every
--   destination: replace it from the USD rate card (first volume tier) before the estimate is
--   shown to customers as a price.
-- Telnyx (the carrier leg): the only published figure found is Telnyx's release note "WebRTC
--   billing and reporting" (https://telnyx.com/release-notes/webrtc-billing-and-reporting, March
--   2021), which prices an outbound call to the PSTN at 0.005 USD a minute. Current rates are at
--   https://telnyx.com/pricing (not readable here): confirm there.
-- Recording: no published Telnyx recording rate was found. The 0.002 USD a minute below is
--   PROVISIONAL, not a citation: confirm it at https://telnyx.com/pricing.
INSERT INTO "call_rates" ("destination", "meta_micros_per_minute", "carrier_micros_per_minute", "recording_micros_per_minute", "source") VALUES
    ('US',    10000, 5000, 2000, 'provisional: Meta rate not yet from the USD calling rate card, carrier 0.005 USD/min from Telnyx release note 2021, recording unverified'),
    ('CA',    10000, 5000, 2000, 'provisional: Meta rate not yet from the USD calling rate card, carrier 0.005 USD/min from Telnyx release note 2021, recording unverified'),
    ('GB',    10000, 5000, 2000, 'provisional: Meta rate not yet from the USD calling rate card, carrier 0.005 USD/min from Telnyx release note 2021, recording unverified'),
    ('DE',    10000, 5000, 2000, 'provisional: Meta rate not yet from the USD calling rate card, carrier 0.005 USD/min from Telnyx release note 2021, recording unverified'),
    ('FR',    10000, 5000, 2000, 'provisional: Meta rate not yet from the USD calling rate card, carrier 0.005 USD/min from Telnyx release note 2021, recording unverified'),
    ('BR',    10000, 5000, 2000, 'provisional: Meta rate not yet from the USD calling rate card, carrier 0.005 USD/min from Telnyx release note 2021, recording unverified'),
    ('AU',    10000, 5000, 2000, 'provisional: Meta rate not yet from the USD calling rate card, carrier 0.005 USD/min from Telnyx release note 2021, recording unverified'),
    ('OTHER', 10000, 5000, 2000, 'provisional: Meta rate not yet from the USD calling rate card, carrier 0.005 USD/min from Telnyx release note 2021, recording unverified')
ON CONFLICT DO NOTHING;
