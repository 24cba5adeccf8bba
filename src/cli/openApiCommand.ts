import { openApiDocument } from '../api/openApiDocument.ts';
import type { CliContext } from './cliContext.ts';

/** Prints the OpenAPI document, indented, as `openapi.json` in the repository holds it. */
export async function openApiCommand(ctx: CliContext): Promise<number> {
  ctx.stdout.write(`${JSON.stringify(await openApiDocument(), null, 2)}\n`);
  return 0;
}
