import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';

/** A connection or a transaction: every query takes one. */
export type Db = Kysely<Database>;
