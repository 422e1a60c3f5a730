import { Injectable } from '@nestjs/common';
import type { CallRates } from '@numbers/domain';
import { Database, type Tx } from '../database/database';

/** The row of a destination without rates of its own. */
export const OTHER_DESTINATIONS = 'OTHER';

/** Reference data (`call_rates`, seeded by its migration): a call's per-minute rates by destination. */
@Injectable()
export class CallRateRepository {
  constructor(private readonly db: Database) {}

  /** The destination's rates, else those of `OTHER`; undefined when neither row exists. */
  async forDestination(country: string | undefined, tx?: Tx): Promise<CallRates | undefined> {
    const destinations = country ? [country, OTHER_DESTINATIONS] : [OTHER_DESTINATIONS];
    const rows = await (tx ?? this.db)
      .selectFrom('callRates')
      .select(['destination', 'metaMicrosPerMinute', 'carrierMicrosPerMinute', 'recordingMicrosPerMinute'])
      .where('destination', 'in', destinations)
      .execute();
    const row = rows.find((r) => r.destination === country) ?? rows.find((r) => r.destination === OTHER_DESTINATIONS);
    return row && { metaMicrosPerMinute: row.metaMicrosPerMinute, carrierMicrosPerMinute: row.carrierMicrosPerMinute, recordingMicrosPerMinute: row.recordingMicrosPerMinute };
  }
}
