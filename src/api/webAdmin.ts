import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import './apiAccess.ts';

/** Where `vite build` of the `web/` workspace writes the web admin. */
export const webAdminBuildDir = fileURLToPath(new URL('../../web/dist/', import.meta.url));

/** Paths that belong to the server itself: an unknown one among them is a 404, never the web admin. */
const serverPathPrefixes = ['/api/', '/cdr/'];

const notBuiltPage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>confbill</title></head><body>
<h1>confbill</h1><p>The web admin is not built in this copy of confbill. <code>npx confbill serve</code> builds it when it starts;
to build it by hand run <code>npm run build -w web</code>. The Billing API is at <a href="/api/docs">/api/docs</a>.</p></body></html>`;

/**
 * The web admin (the `web/` workspace, built by Vite) at `/`: its hashed assets under `/assets/`
 * (cached for good), any other page path answered with its index.html so that a reloaded or shared
 * link opens the same page. Public: the pages hold no data; everything they show comes from the API
 * with the signed-in user's session.
 */
export function registerWebAdmin(app: FastifyInstance, root: string = webAdminBuildDir): void {
  const built = existsSync(`${root}/index.html`);
  void app.register(fastifyStatic, { root, serve: false });
  const sendIndex = (reply: FastifyReply): FastifyReply => {
    if (!built) return reply.type('text/html; charset=utf-8').send(notBuiltPage);
    // The page names its hashed assets: it is always fetched again.
    return reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false });
  };
  app.get('/assets/*', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const file = (request.params as { '*': string })['*'];
    return reply.header('cache-control', 'public, max-age=31536000, immutable').sendFile(`assets/${file}`, { cacheControl: false });
  });
  app.get('/favicon.svg', { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) => reply.sendFile('favicon.svg'));
  app.get('/', { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) => sendIndex(reply));
  app.get('/*', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const path = request.url.split('?')[0]!;
    if (serverPathPrefixes.some((prefix) => path.startsWith(prefix))) return reply.callNotFound();
    return sendIndex(reply);
  });
}
