import { sql, type ColumnDataType, type Expression } from 'kysely';

export type DialectName = 'sqlite' | 'postgres';

/** The few column types that differ between the dialects; migrations use only these. */
export interface ColumnTypes {
  json: ColumnDataType | Expression<unknown>;
  millis: ColumnDataType;
  bytes: ColumnDataType;
  /** auto-incrementing integer primary key */
  serial: ColumnDataType;
}

export function columnTypes(dialect: DialectName): ColumnTypes {
  return dialect === 'postgres'
    ? { json: 'jsonb', millis: 'bigint', bytes: 'bytea', serial: 'bigserial' }
    : { json: sql`text`, millis: 'integer', bytes: 'blob', serial: 'integer' };
}
