#!/usr/bin/env node
// Bundles the CLI (src/cli/main.ts and what it imports, one chunk per lazily loaded command) into
// dist/cli/, so that `confbill` starts without transpiling some 300 TypeScript modules through tsx's
// loader at every run. `npm ci` runs it (the `prepare` script); bin/confbill.js uses the bundle only
// while every source it was built from is unchanged (dist/cli/sources.json), else the sources through
// tsx as before: an edit is never run stale, and the tests always run the sources.
import { createRequire } from 'node:module';
import { rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoDir = dirname(dirname(fileURLToPath(import.meta.url)));
const outDir = join(repoDir, 'dist', 'cli');
// esbuild comes with tsx (a dependency): no dependency of its own.
const esbuild = createRequire(createRequire(import.meta.url).resolve('tsx'))('esbuild');

/**
 * A module that finds files next to its source (migrations, the web admin's build, fonts) keeps
 * finding them there: its `import.meta.url` becomes its source's URL, from wherever its chunk lies.
 */
const sourceUrls = {
  name: 'source-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /[/\\]src[/\\].*\.ts$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const fromChunk = relative(outDir, args.path).split('\\').join('/');
      return { contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(fromChunk)}, import.meta.url).href`), loader: 'ts' };
    });
  },
};

rmSync(outDir, { recursive: true, force: true });
const result = await esbuild.build({
  entryPoints: { main: join(repoDir, 'src/cli/main.ts') },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  outdir: outDir,
  metafile: true,
  logLevel: 'warning',
  plugins: [sourceUrls],
});
const sources = Object.keys(result.metafile.inputs)
  .map((input) => relative(repoDir, join(process.cwd(), input)))
  .sort()
  .map((file) => {
    const stat = statSync(join(repoDir, file));
    return { file, size: stat.size, mtimeMs: stat.mtimeMs };
  });
writeFileSync(join(outDir, 'sources.json'), `${JSON.stringify({ sources }, null, 1)}\n`);
