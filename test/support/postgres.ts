/** The test PostgreSQL (started by `./dev test` via services/postgres.sh): connection settings and a SQL helper. */
import pg from "pg";

export function pgUrl(): string {
  const port = process.env["SLUICE_PG_PORT"];
  if (port === undefined) throw new Error("SLUICE_PG_PORT is not set: run the tests with ./dev test, which starts PostgreSQL (services/postgres.sh start)");
  return `jdbc:postgresql://127.0.0.1:${port}/sluice`;
}

export const pgProps = { user: "sluice", password: "sluice" } as const;

export async function sql(text: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ host: "127.0.0.1", port: Number(process.env["SLUICE_PG_PORT"]), database: "sluice", ...pgProps });
  await client.connect();
  try { return (await client.query(text, params)).rows as Record<string, unknown>[]; } finally { await client.end(); }
}

let counter = 0;
export function tableName(prefix: string): string { return `${prefix}_${process.pid}_${Date.now()}_${counter++}`; }
