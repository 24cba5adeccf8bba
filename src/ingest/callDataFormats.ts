import { defaultMapping as cmsMapping } from './cisco-cms/defaultMapping.ts';
import { readCmsXml } from './cisco-cms/readCmsXml.ts';
import { defaultMapping as expresswayMapping } from './cisco-expressway/defaultMapping.ts';
import { readExpresswayJson } from './cisco-expressway/readExpresswayJson.ts';
import { defaultMapping as cucmMapping } from './cisco-ucm/defaultMapping.ts';
import { readCucmCsv } from './cisco-ucm/readCucmCsv.ts';
import { readConfbillCsv } from './confbill-csv/readConfbillCsv.ts';
import type { CallRecordReader } from './ingestRecord.ts';
import { defaultMapping as teamsMapping } from './microsoft-teams/defaultMapping.ts';
import { readTeamsJson } from './microsoft-teams/readTeamsJson.ts';
import { defaultMapping as pexipMapping } from './pexip-infinity/defaultMapping.ts';
import { readPexipEvents } from './pexip-infinity/readPexipEvents.ts';
import { readPexipHistory } from './pexip-infinity/readPexipHistory.ts';
import { defaultMapping as dmaMapping } from './polycom-dma/defaultMapping.ts';
import { readDmaCsv } from './polycom-dma/readDmaCsv.ts';
import { defaultMapping as sfbMapping } from './skype-for-business/defaultMapping.ts';
import { readSfbCsv } from './skype-for-business/readSfbCsv.ts';
import type { VendorMapping } from './vendorMapping.ts';
import type { CallDataFormatName } from './callDataFormatNames.ts';

export interface CallDataFormat {
  /** The `--format` name and the key of `mappings.<format>` in the configuration file. */
  name: string;
  /** One line for `confbill ingest --help` and `confbill source list`. */
  description: string;
  reader: CallRecordReader;
  /** The adapter's vendor vocabulary → confbill (docs/vendors/<vendor>.md lists it); none for confbill-csv. */
  defaultMapping?: VendorMapping;
  /** Formats of one system (Pexip history and events) may feed the same source. */
  family?: string;
}

const formats = {
  'confbill-csv': { name: 'confbill-csv', description: "confbill's own CSV (columns in the README)", reader: readConfbillCsv },
  'cms-xml': { name: 'cms-xml', description: 'Cisco Meeting Server CDR XML (<records> POST bodies; saved as XML or JSON lines with rawpost)', reader: readCmsXml, defaultMapping: cmsMapping },
  'pexip-history': { name: 'pexip-history', description: 'Pexip Infinity participant history JSON (management API)', reader: readPexipHistory, defaultMapping: pexipMapping, family: 'pexip-infinity' },
  'pexip-events': { name: 'pexip-events', description: 'Pexip Infinity event sink events (JSONL or JSON array)', reader: readPexipEvents, defaultMapping: pexipMapping, family: 'pexip-infinity' },
  'cucm-csv': { name: 'cucm-csv', description: 'Cisco Unified CM CDR flat files (cdr_*, CDR Repository Manager)', reader: readCucmCsv, defaultMapping: cucmMapping },
  'expressway-json': { name: 'expressway-json', description: 'Cisco VCS/Expressway call-usage records (callusage API JSON)', reader: readExpresswayJson, defaultMapping: expresswayMapping },
  'dma-csv': { name: 'dma-csv', description: 'Poly RealPresence DMA call CDR CSV (Export CDR Data)', reader: readDmaCsv, defaultMapping: dmaMapping },
  'sfb-csv': { name: 'sfb-csv', description: 'Skype for Business LcsCDR SessionDetails export (CSV)', reader: readSfbCsv, defaultMapping: sfbMapping },
  'teams-json': { name: 'teams-json', description: 'Microsoft Teams Graph callRecords (JSON, sessions expanded)', reader: readTeamsJson, defaultMapping: teamsMapping },
} satisfies Record<CallDataFormatName, CallDataFormat>;

/** Every format `confbill ingest --format` reads; each vendor adapter adds one entry here (and its name to callDataFormatNames.ts). */
export const callDataFormats: Record<string, CallDataFormat> = formats;

/** The format of a `--format` or `format:` name; own entries only, so `constructor` or `__proto__` is no format. */
export function callDataFormatNamed(name: string): CallDataFormat | undefined {
  return Object.hasOwn(callDataFormats, name) ? callDataFormats[name] : undefined;
}
