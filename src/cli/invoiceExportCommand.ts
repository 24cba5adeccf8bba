import { writeFile } from 'node:fs/promises';
import { BillingError } from '../domain/billingError.ts';
import { exportInvoice, invoiceExportFormats, isInvoiceExportFormat } from '../services/exportInvoice.ts';
import { println, withDatabase, type CliContext } from './cliContext.ts';

/** `confbill invoice export ID --format pdf|csv|calls-csv --out FILE` (`--out -`: standard output). */
export async function invoiceExportCommand(ctx: CliContext, id: string, options: { format: string; out: string }): Promise<number> {
  const { format, out } = options;
  if (!isInvoiceExportFormat(format)) throw new BillingError('invalid-argument', `Unknown --format "${format}". Use one of: ${invoiceExportFormats.join(', ')}.`);
  const exported = await withDatabase(ctx, (db) => exportInvoice(db, id, format));
  if (out === '-') {
    ctx.stdout.write(exported.content);
    return 0;
  }
  try {
    await writeFile(out, exported.content);
  } catch (error) {
    throw new BillingError('invalid-argument', `Cannot write ${out}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}. Give --out a path in a folder that exists and is writable, or - for standard output.`);
  }
  println(ctx, `Invoice ${id} exported as ${format} to ${out} (${exported.content.length} bytes).`);
  return 0;
}
