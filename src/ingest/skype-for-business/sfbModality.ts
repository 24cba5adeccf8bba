/** SessionDetails.MediaTypes bits, richest first: the medium a session is billed as. */
const modalities: [bit: number, name: string][] = [
  [32, 'video'],
  [16, 'audio'],
  [8, 'app sharing'],
  [4, 'remote assistance'],
  [64, 'app invite'],
  [2, 'file transfer'],
  [1, 'instant messaging'],
];

/** The modality of a `MediaTypes` bitmask (`none` when no bit is set). */
export function sfbModality(mediaTypes: number): string {
  return modalities.find(([bit]) => (mediaTypes & bit) !== 0)?.[1] ?? 'none';
}
