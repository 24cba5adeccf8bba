/** The formats POST /api/v1/calls/uploads reads (the API takes the name as free text; these are confbill's, README "Bring in call data"). */
export const callDataFormats = [
  { value: 'confbill-csv', label: 'confbill-csv (confbill’s own CSV)' },
  { value: 'cms-xml', label: 'cms-xml (Cisco Meeting Server)' },
  { value: 'pexip-history', label: 'pexip-history (Pexip Infinity history)' },
  { value: 'pexip-events', label: 'pexip-events (Pexip Infinity event sink)' },
  { value: 'cucm-csv', label: 'cucm-csv (Cisco Unified CM)' },
  { value: 'expressway-json', label: 'expressway-json (Cisco VCS/Expressway)' },
  { value: 'dma-csv', label: 'dma-csv (Poly RealPresence DMA)' },
  { value: 'sfb-csv', label: 'sfb-csv (Skype for Business)' },
  { value: 'teams-json', label: 'teams-json (Microsoft Teams)' },
];
