import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyConfig } from '../../src/services/applyConfig.ts';
import { maxLogoBytes } from '../../src/services/providerLogoFile.ts';
import { parseProviderConfig } from '../../src/services/providerConfig.ts';
import { listCustomers } from '../../src/storage/customerStore.ts';
import type { Database } from '../../src/storage/database.ts';
import { readProviderLogo } from '../../src/storage/providerLogoStore.ts';
import { readSettings } from '../../src/storage/settingsStore.ts';
import { databaseKinds, useTestDatabase } from '../support/testDatabases.ts';
import { tinyPng } from '../support/tinyPng.ts';

// Issue 9 §14: billing details of customers and the provider block, applied from the file and stored;
// the logo read at apply time (relative to the file's folder) and kept in the database by its hash.
const folder = mkdtempSync(join(tmpdir(), 'confbill-billing-'));
const logo = tinyPng([10, 120, 200]);
writeFileSync(join(folder, 'logo.png'), logo);
writeFileSync(join(folder, 'notes.txt'), 'not an image');
writeFileSync(join(folder, 'cut.png'), logo.subarray(0, 40));
writeFileSync(join(folder, 'huge.png'), Buffer.concat([logo, Buffer.alloc(maxLogoBytes)]));

const file = (logoPath: string) => `
settings:
  provider: { name: Nordic Video AS, address: "Storgata 1\\n0155 Oslo", taxId: NO 912 345 678 MVA,
              paymentDetails: "DNB Bank ASA\\nIBAN NO93 8601 1117 947", logo: ${logoPath} }
customers:
  - { id: acme, name: Acme Corp, billingAddress: "Accounts payable\\nKarl Johans gate 5\\n0154 Oslo",
      email: ap@acme.example, taxId: NO 987 654 321 MVA, customerReference: PO-4711 }
  - { id: plain, name: Plain Ltd }
`;

describe.each(databaseKinds)('billing details on %s', (kind) => {
  let db!: Database;
  useTestDatabase(kind, (opened) => (db = opened));

  it('stores the customers\' details and the provider block with its logo; the same file again changes nothing', async () => {
    const first = await applyConfig(db, parseProviderConfig(file('logo.png'), 'provider.yaml'), 'apply', { baseDir: folder });
    expect([first.customersChanged, first.settingsChanged]).toEqual([2, 1]);
    expect(await listCustomers(db)).toEqual([
      { id: 'acme', name: 'Acme Corp', timezone: null, billingAddress: 'Accounts payable\nKarl Johans gate 5\n0154 Oslo', email: 'ap@acme.example', taxId: 'NO 987 654 321 MVA', customerReference: 'PO-4711' },
      { id: 'plain', name: 'Plain Ltd', timezone: null, billingAddress: null, email: null, taxId: null, customerReference: null },
    ]);
    const sha256 = createHash('sha256').update(logo).digest('hex');
    expect((await readSettings(db)).provider).toEqual({ name: 'Nordic Video AS', address: 'Storgata 1\n0155 Oslo', taxId: 'NO 912 345 678 MVA', paymentDetails: 'DNB Bank ASA\nIBAN NO93 8601 1117 947', logo: { sha256, mediaType: 'image/png' } });
    expect((await readProviderLogo(db, sha256))?.content.equals(logo)).toBe(true);

    const again = await applyConfig(db, parseProviderConfig(file(join(folder, 'logo.png')), 'provider.yaml'), 'apply', { baseDir: '/' });
    expect([again.customersChanged, again.settingsChanged]).toEqual([0, 0]);
    // A frozen document may name the logo: it is never changed nor removed.
    await expect(db.query('DELETE FROM provider_logos')).rejects.toThrow(/provider logos are kept/);
    await expect(db.query(`UPDATE provider_logos SET media_type = 'image/jpeg'`)).rejects.toThrow(/provider logos are kept/);
  });

  it('reads vatId, the earlier name of taxId, from settings stored before', async () => {
    await db.query(`INSERT INTO settings (key, value) VALUES ('provider', '{"name": "Old AS", "address": "Gata 1", "vatId": "NO 1 MVA"}'::jsonb)
                    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`);
    expect((await readSettings(db)).provider).toEqual({ name: 'Old AS', address: 'Gata 1', taxId: 'NO 1 MVA' });
  });

  it.each([
    ['missing.png', 'settings.provider.logo: "missing.png" is not a logo file: no such file. Give the path of a PNG or JPEG file, relative to the configuration file; nothing was applied.'],
    ['notes.txt', 'settings.provider.logo: "notes.txt" is not a PNG or JPEG image: give a PNG or JPEG file; nothing was applied.'],
    ['cut.png', 'settings.provider.logo: "cut.png" is not a readable PNG or JPEG image: give a PNG or JPEG file; nothing was applied.'],
    ['huge.png', `settings.provider.logo: "huge.png" is ${logo.length + maxLogoBytes} bytes, more than the ${maxLogoBytes} bytes a logo may have: give a smaller PNG or JPEG file; nothing was applied.`],
  ])('refuses the logo %s with a clear error and applies nothing', async (logoPath, message) => {
    const before = await db.query('SELECT id FROM customers');
    await expect(applyConfig(db, parseProviderConfig(file(logoPath).replace('Acme Corp', 'Acme Renamed'), 'provider.yaml'), 'apply', { baseDir: folder })).rejects.toMatchObject({ code: 'invalid-config', message });
    expect(await db.query('SELECT id FROM customers')).toEqual(before);
    expect(await db.query(`SELECT 1 FROM customers WHERE name = 'Acme Renamed'`)).toEqual([]);
  });
});
