import type { VendorMapping } from '../vendorMapping.ts';

/**
 * Poly RealPresence DMA call CDR (`dma-csv`) → confbill, documented in docs/vendors/polycom-dma.md.
 * Categories are keyed by `callType`. Directions are keyed by `callType` first, then by `dialin`
 * (TRUE: the participant called in; FALSE: the DMA dialled out of a VMR). docs/billing-rules.md §1: DMA VMR calls are
 * `non-routed`.
 */
export const defaultMapping: VendorMapping = {
  categories: {
    'PT-PT': 'video',
    VMR: 'non-routed',
    'VMR-Lync AVMCU': 'non-routed',
    'VSC-hunt group': 'video',
    'VSC-uncond fwd': 'video',
    'VSC-fwd busy': 'video',
    'VSC-fwd no answer': 'video',
  },
  directions: {
    'PT-PT': 'outbound',
    'VSC-hunt group': 'outbound',
    'VSC-uncond fwd': 'outbound',
    'VSC-fwd busy': 'outbound',
    'VSC-fwd no answer': 'outbound',
    TRUE: 'inbound',
    FALSE: 'outbound',
  },
  exclude: [
    // The caller waits in the virtual entry queue (the lobby IVR); the VMR call that follows is the leg.
    { field: 'callType', equals: 'VEQ', reason: 'IVR/lobby leg (VEQ)' },
    { field: 'callType', equals: 'VMR-subscribe only', reason: 'subscription only (no media)' },
  ],
};
