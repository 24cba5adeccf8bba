import { readConfbillCsv } from './confbill-csv/readConfbillCsv.ts';
import type { CallRecordReader } from './ingestRecord.ts';
import type { VendorMapping } from './vendorMapping.ts';

export interface CallDataFormat {
  /** The `--format` name and the key of `mappings.<format>` in the configuration file. */
  name: string;
  /** One line for `confbill ingest --help` and `confbill source list`. */
  description: string;
  reader: CallRecordReader;
  /** The adapter's vendor vocabulary → confbill (docs/vendors/<vendor>.md lists it); none for confbill-csv. */
  defaultMapping?: VendorMapping;
}

/** Every format `confbill ingest --format` reads; each vendor adapter adds one entry here. */
export const callDataFormats: Record<string, CallDataFormat> = {
  'confbill-csv': { name: 'confbill-csv', description: "confbill's own CSV (interfaces.md)", reader: readConfbillCsv },
};
