import { BillingError } from '../domain/billingError.ts';
import type { Database } from './database.ts';

/**
 * Gives a PostgreSQL role exactly what `confbill` needs to run, and nothing that could rewrite
 * history (docs/postgresql-roles.md): reading and writing the data, with these exceptions —
 * - no TRUNCATE, no DDL, no trigger switched off or dropped (those need ownership, which stays with
 *   the role that ran the migrations);
 * - the invoice number counter and the migration ledger are read-only: numbers are issued only by
 *   `approve_invoice()`, which runs with the owner's rights and only for a draft;
 * - invoices: a new one can only be a draft (status and number are not among the insertable
 *   columns) and only a draft's total and notes can be updated;
 * - frozen documents can be added (by the approving transaction) but never changed or removed, nor
 *   can the provider logos they name;
 * - the audit log can be appended to and read, never changed nor emptied (nor its view, the plan
 *   history, written through).
 * Every table of the schema not named here gets plain read and write, so later migrations' tables
 * need no change here. Grants are reset first: running it again after each migration is exact.
 */
export async function grantServiceRole(db: Database, role: string): Promise<void> {
  if (db.kind !== 'postgres') throw new BillingError('invalid-argument', 'The embedded database has no roles: a service role needs a PostgreSQL server (DATABASE_URL).', { field: 'serviceRole' });
  await db.transaction(async (tx) => {
    const [found] = await tx.query<{ quoted: string; schema: string; me: string; exists: boolean; superuser: boolean }>(
      `SELECT format('%I', $1::text) AS quoted, format('%I', current_schema()) AS schema, current_user AS me,
              r.rolname IS NOT NULL AS exists, coalesce(r.rolsuper, false) AS superuser
       FROM (SELECT 1) AS one LEFT JOIN pg_roles r ON r.rolname = $1`,
      [role],
    );
    const { quoted: r, schema: s, me, exists, superuser } = found!;
    if (!exists) throw new BillingError('not-found', `There is no role "${role}" on this server: create it first (docs/postgresql-roles.md).`);
    if (role === me) throw new BillingError('invalid-argument', `"${role}" is the role running the migrations, which owns the schema: the service role must be another role.`);
    if (superuser) throw new BillingError('invalid-argument', `Role "${role}" is a superuser, which no privilege restricts: give the service a role without SUPERUSER.`);
    await tx.exec(`
      REVOKE ALL ON ALL TABLES IN SCHEMA ${s} FROM ${r};
      REVOKE ALL ON ALL SEQUENCES IN SCHEMA ${s} FROM ${r};
      GRANT USAGE ON SCHEMA ${s} TO ${r};
      GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${s} TO ${r};
      GRANT USAGE ON ALL SEQUENCES IN SCHEMA ${s} TO ${r};
      REVOKE INSERT, UPDATE, DELETE ON schema_migrations, invoice_number_sequence FROM ${r};
      REVOKE INSERT, UPDATE ON invoices FROM ${r};
      GRANT INSERT (id, customer_id, currency, from_date, to_date, total, notes), UPDATE (total, notes) ON invoices TO ${r};
      REVOKE UPDATE, DELETE ON invoice_snapshots, provider_logos FROM ${r};
      REVOKE UPDATE, DELETE ON audit_log FROM ${r};
      REVOKE INSERT, UPDATE, DELETE ON plan_history FROM ${r};
      GRANT EXECUTE ON FUNCTION approve_invoice(text, text) TO ${r};
    `);
  });
}
