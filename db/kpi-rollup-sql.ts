import { sql } from 'drizzle-orm'
import { PgDialect } from 'drizzle-orm/pg-core'
import { auditFactsSelect } from './queries/kpis'

// Prints the body of kpi_audit_facts_of(ids), the one place the roll-up's SQL counts each audit,
// generated from the same expressions as the KPI queries. Run it when a KPI rule changes and put
// its output in a new migration: `node --import tsx db/kpi-rollup-sql.ts`.
const query = new PgDialect().sqlToQuery(auditFactsSelect(sql`where a.id = any(ids)`))
const literal = (value: unknown) => `'${String(value).replaceAll("'", "''")}'`
const text = query.sql.replace(/\$(\d+)/g, (_, n: string) => literal(query.params[Number(n) - 1]))
console.log(text)
