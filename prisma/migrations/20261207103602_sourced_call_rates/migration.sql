-- Reference data: the rates of the call estimate (call_rates) from published figures, replacing the
-- placeholders of 20261207074610_call_rates_and_profile_moves. Only rows still holding those
-- placeholders are replaced or removed: a rate an operator has since corrected is left as it is.
-- Every row says in `source` where each of its three rates comes from. No semicolon may appear
-- in a comment or a string here: the migration engine (driver adapter) splits the script on them.
--
-- Meta (meta_micros_per_minute): the per-minute rate of a business-initiated call by the market
--   of the number called, first volume tier, in USD. The rate card of Meta itself is the USD CSV/PDF linked
--   from "Calling API Pricing",
--   https://developers.facebook.com/documentation/business-messaging/whatsapp/calling/pricing/
--   (page updated Mar 30, 2026: rate cards effective April 1, 2026), which could not be read here.
--   The figures below are that card as HighLevel restates it, "Call Rates by Market (USD per
--   minute)", in "WhatsApp Calling in HighLevel",
--   https://help.gohighlevel.com/support/solutions/articles/155000007253-whatsapp-calling-in-highlevel
--   (read 2026-12-07 from a stored copy whose newest image is dated 2026-04-23, and the article gives
--   no effective date). A SECONDARY source: check each figure against the USD card of Meta.
--   Only markets HighLevel names are given a row, so no country is priced by a guessed region:
--   - OTHER (every destination without its own row, and a number whose country is not known) is
--     the "Other" market of Meta, 0.0139. The regional rates of HighLevel (Rest of Western Europe 0.0108,
--     Rest of Asia Pacific 0.0120, Rest of Central & Eastern Europe 0.0100, ...) are not used:
--     which of our countries each region holds is not stated there.
--   - US, CA and AU lose their placeholder rows and are priced as OTHER: HighLevel lists North
--     America as "N/A" (Meta does not offer business-initiated calls FROM US and Canadian
--     numbers) and puts Australia in no named market. CA was never read anyway: +1 is priced
--     as US (countryOfE164).
-- Carrier (carrier_micros_per_minute): the WhatsApp Business Calling fee of Telnyx, "$0.0025/min for
--   user-initiated and business-initiated calls", in the WhatsApp Business support articles of Telnyx,
--   https://support.telnyx.com/en/collections/18868947-whatsapp-business (with
--   https://support.telnyx.com/en/articles/14668631-enabling-whatsapp-business-calling-on-telnyx-numbers),
--   as quoted by a digest of those articles updated 2026-05-20. The leg between Telnyx and Meta is
--   on-net SIP, not PSTN, so the fee is the same for every destination. It replaces the 2021
--   PSTN rate of the 2021 WebRTC release note (0.005), which does not apply to this leg.
-- Recording (recording_micros_per_minute): still PROVISIONAL at 0.002. No Telnyx recording rate
--   could be read from Telnyx (telnyx.com/pricing was not readable here, and third-party notes
--   quote 0.0015 to 0.002): confirm at https://telnyx.com/pricing/call-control.
DELETE FROM "call_rates"
WHERE "destination" IN ('US', 'CA', 'AU')
  AND "source" LIKE 'provisional: Meta rate not yet from the USD calling rate card%';

INSERT INTO "call_rates" ("destination", "meta_micros_per_minute", "carrier_micros_per_minute", "recording_micros_per_minute", "source")
SELECT
    sourced.destination,
    (sourced.meta_usd * 1000000)::INTEGER,
    2500,
    2000,
    format(
        'meta %s USD/min: Meta USD calling rate card, market "%s", as restated by HighLevel '
        || '(help.gohighlevel.com/support/solutions/articles/155000007253, stored copy of April 2026, '
        || 'no effective date, secondary: check against the card of Meta), carrier 0.0025 USD/min: '
        || 'Telnyx WhatsApp Business Calling fee (support.telnyx.com/en/collections/18868947-whatsapp-business, '
        || 'quoted 2026-05-20), recording 0.002 USD/min: PROVISIONAL, no published Telnyx rate read',
        sourced.meta_usd, sourced.market)
FROM (VALUES
    ('GB',    0.0104, 'United Kingdom'),
    ('DE',    0.0108, 'Germany'),
    ('FR',    0.0104, 'France'),
    ('BR',    0.0113, 'Brazil'),
    ('ES',    0.0135, 'Spain'),
    ('IT',    0.0127, 'Italy'),
    ('NL',    0.0066, 'Netherlands'),
    ('MX',    0.0099, 'Mexico'),
    ('IN',    0.0056, 'India'),
    ('ZA',    0.0113, 'South Africa'),
    ('OTHER', 0.0139, 'Other')
) AS sourced (destination, meta_usd, market)
ON CONFLICT ("destination") DO UPDATE SET
    "meta_micros_per_minute" = EXCLUDED."meta_micros_per_minute",
    "carrier_micros_per_minute" = EXCLUDED."carrier_micros_per_minute",
    "recording_micros_per_minute" = EXCLUDED."recording_micros_per_minute",
    "source" = EXCLUDED."source",
    "updated_at" = CURRENT_TIMESTAMP
WHERE "call_rates"."source" LIKE 'provisional: Meta rate not yet from the USD calling rate card%';
