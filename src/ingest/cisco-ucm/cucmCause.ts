import { ownValue } from '../../domain/ownValue.ts';

/** The Q.850 causes (and Cisco's own) seen most in CUCM CDRs, for a readable disconnect reason. */
const causeNames: Record<string, string> = {
  '1': 'unallocated number',
  '3': 'no route to destination',
  '16': 'normal call clearing',
  '17': 'user busy',
  '18': 'no user responding',
  '19': 'no answer',
  '21': 'call rejected',
  '22': 'number changed',
  '27': 'destination out of order',
  '28': 'invalid number format',
  '31': 'normal, unspecified',
  '34': 'no circuit available',
  '38': 'network out of order',
  '41': 'temporary failure',
  '47': 'resource unavailable',
  '57': 'bearer capability not authorized',
  '63': 'service not available',
  '81': 'invalid call reference',
  '102': 'recovery on timer expiry',
  '127': 'interworking, unspecified',
  '393216': 'call split (transfer or conference)',
};

/**
 * The cause that ended the call: the originating side's when it hung up (non-zero), else the
 * destination side's. Undefined when neither side has one.
 */
export function cucmCause(origCause: string | undefined, destCause: string | undefined): string | undefined {
  const cause = [origCause, destCause].find((c) => c !== undefined && c !== '' && c !== '0');
  if (cause === undefined) return undefined;
  const name = ownValue(causeNames, cause);
  return name ? `${cause} ${name}` : `cause ${cause}`;
}
