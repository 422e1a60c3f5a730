import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Database } from '../database/database';

/** Whether PostgreSQL answers, through the process's own pool (a health check's question). */
@Injectable()
export class DatabaseHealthRepository {
  constructor(private readonly db: Database) {}

  async ping(): Promise<void> {
    await sql`SELECT 1`.execute(this.db);
  }
}
