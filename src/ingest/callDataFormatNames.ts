/**
 * The names of the formats `confbill ingest --format` reads (callDataFormats.ts holds their readers,
 * and its type checks that it has exactly these): the CLI's help lists them without loading every reader.
 */
export const callDataFormatNames = ['confbill-csv', 'cms-xml', 'pexip-history', 'pexip-events', 'cucm-csv', 'expressway-json', 'dma-csv', 'sfb-csv', 'teams-json'] as const;

export type CallDataFormatName = (typeof callDataFormatNames)[number];
