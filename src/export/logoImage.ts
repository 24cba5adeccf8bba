import PDFDocument from 'pdfkit';

/** The image formats a PDF embeds as they are, told by their first bytes. */
export function logoMediaType(bytes: Uint8Array): 'image/png' | 'image/jpeg' | undefined {
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length >= png.length && png.every((b, i) => bytes[i] === b)) return 'image/png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  return undefined;
}

/**
 * Whether the PDF library can draw these bytes: a file that starts like a PNG or JPEG but is cut
 * short or damaged is found now, when the logo is configured, rather than when an invoice is exported.
 */
export async function isDrawableImage(bytes: Buffer): Promise<boolean> {
  try {
    const doc = new PDFDocument({ size: 'A7' });
    const ended = new Promise<void>((resolve, reject) => {
      doc.on('end', resolve);
      doc.on('error', reject);
      doc.on('data', () => undefined);
    });
    doc.image(bytes, 0, 0, { fit: [50, 50] });
    doc.end();
    await ended;
    return true;
  } catch {
    return false;
  }
}
