import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Database } from '../database/database';

export interface ErasedKyc {
  /** Cases whose values, address and document references were erased (and their number's registrant and end-user names). */
  cases: number;
  /** Documents deleted: those no case still keeping its KYC refers to. */
  documents: number;
}

/**
 * KYC retention: a number released or declined before `cutoff` (KYC_RETENTION_DAYS ago) keeps no
 * identity data. Its case keeps the review's record (rounds, verdict, requirement group) and
 * `kyc_erased_at`, nothing the customer submitted; the number loses the names taken from the
 * form. A document goes once no case that keeps its KYC refers to it and it is older than the
 * cutoff (so documents uploaded and never submitted go too, and a document a reused case shares
 * stays while that case keeps it). Batches of `batch`, each one statement: safe to run twice or
 * on two replicas (`FOR UPDATE SKIP LOCKED`).
 */
@Injectable()
export class KycRetentionRepository {
  constructor(private readonly db: Database) {}

  async eraseExpired(cutoff: Date, batch: number, now: Date = new Date()): Promise<ErasedKyc> {
    const erased: ErasedKyc = { cases: 0, documents: 0 };
    for (;;) {
      const cases = await this.eraseCases(cutoff, batch, now);
      erased.cases += cases;
      if (cases < batch) break;
    }
    for (;;) {
      const documents = await this.deleteDocuments(cutoff, batch);
      erased.documents += documents;
      if (documents < batch) break;
    }
    return erased;
  }

  private async eraseCases(cutoff: Date, batch: number, now: Date): Promise<number> {
    const rows = await this.db
      .with('expired', (db) =>
        db
          .selectFrom('regulatoryCases as c')
          .innerJoin('phoneNumbers as n', 'n.id', 'c.numberId')
          .select(['c.id', 'c.numberId'])
          .where('c.kycErasedAt', 'is', null)
          .where((eb) =>
            eb.or([
              eb.and([eb('n.status', '=', 'released'), eb('n.releasedAt', '<', cutoff)]),
              eb.and([eb('n.status', '=', 'regulatory_declined'), eb('n.regulatoryDeclinedAt', '<', cutoff)]),
            ]),
          )
          .limit(batch)
          .forUpdate('c')
          .skipLocked(),
      )
      .with('erased', (db) =>
        db
          .updateTable('regulatoryCases')
          .set({ submittedValues: '{}', address: null, documents: '{}', sealedSubmission: null, dataKeySealed: null, kycErasedAt: now })
          .where('id', 'in', (eb) => eb.selectFrom('expired').select('id'))
          .returning('numberId'),
      )
      .updateTable('phoneNumbers')
      .set({ registrantName: null, endUserFirstName: null, endUserLastName: null })
      .where('id', 'in', (eb) => eb.selectFrom('erased').select('numberId'))
      .returning('id')
      .execute();
    return rows.length;
  }

  private async deleteDocuments(cutoff: Date, batch: number): Promise<number> {
    const result = await this.db
      .deleteFrom('kycDocuments')
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('kycDocuments as d')
          .select('d.id')
          .where('d.createdAt', '<', cutoff)
          .where(({ not, exists, selectFrom }) =>
            not(
              exists(
                selectFrom('regulatoryCases as c')
                  .select(sql.lit(1).as('one'))
                  .whereRef('c.accountId', '=', 'd.accountId')
                  .where('c.kycErasedAt', 'is', null)
                  .where(sql<boolean>`exists (select 1 from jsonb_each_text(c.documents) e where e.value = d.id)`),
              ),
            ),
          )
          .limit(batch),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
