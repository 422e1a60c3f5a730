import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Database } from '../database/database';

/** The columns holding a short secret sealed by a `Sealer`, and the table each is on (the row's id is the sealed value's authenticated data). */
const SEALED_SECRET_COLUMNS = {
  'sip-password': { table: 'phone_numbers', column: 'sip_password_sealed' },
  'forward-sip-password': { table: 'phone_numbers', column: 'forward_sip_password_sealed' },
  'webhook-secret': { table: 'webhook_endpoints', column: 'secret_sealed' },
} as const;

export type SealedSecretKind = keyof typeof SEALED_SECRET_COLUMNS;
export const SEALED_SECRET_KINDS = Object.keys(SEALED_SECRET_COLUMNS) as SealedSecretKind[];

/**
 * Sealed short secrets where they are stored, for key rotation: the value sealed again replaces
 * the one read only if the row still holds it (a secret changed meanwhile is never overwritten).
 */
@Injectable()
export class SealedSecretRepository {
  constructor(private readonly db: Database) {}

  async replace(kind: SealedSecretKind, rowId: string, sealed: string, resealed: string): Promise<boolean> {
    const { table, column } = SEALED_SECRET_COLUMNS[kind];
    const result = await sql`UPDATE ${sql.table(table)} SET ${sql.ref(column)} = ${resealed} WHERE id = ${rowId} AND ${sql.ref(column)} = ${sealed}`.execute(this.db);
    return result.numAffectedRows === 1n;
  }

  /** The rows holding a value of this kind, `limit` at a time in id order after `afterId`. */
  async page(kind: SealedSecretKind, afterId: string, limit: number): Promise<{ id: string; sealed: string }[]> {
    const { table, column } = SEALED_SECRET_COLUMNS[kind];
    const { rows } = await sql<{ id: string; sealed: string }>`
      SELECT id, ${sql.ref(column)} AS sealed FROM ${sql.table(table)}
      WHERE ${sql.ref(column)} IS NOT NULL AND id > ${afterId} ORDER BY id LIMIT ${limit}`.execute(this.db);
    return rows;
  }
}
