// A plain static host for browser tests of deploys: serves a build folder with the headers its
// `_headers` file lists (as Netlify or Cloudflare Pages would), answers a missing file with a real
// 404 page (vite preview answers every path with index.html), and can switch to another build folder
// (a redeploy) while running.
import { readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
};

/** The headers a `_headers` file gives every path (its `/*` block). */
function headersOf(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(join(dir, '_headers'), 'utf8').split('\n')) {
    const m = /^\s+([\w-]+):\s*(.+)$/.exec(line);
    if (m) out[m[1]] = m[2];
  }
  return out;
}

export interface StaticHost {
  url: string;
  /** serve another build folder from now on (a redeploy) */
  deploy(dir: string): void;
  close(): Promise<void>;
}

export async function staticHost(dir: string): Promise<StaticHost> {
  let root = resolve(dir);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(root, path === '/' ? 'index.html' : path));
    const headers = headersOf(root);
    let body: Buffer | null = null;
    try {
      if (file.startsWith(root) && statSync(file).isFile()) body = readFileSync(file);
    } catch {
      body = null;
    }
    if (!body) {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>Not found</title><h1>404: no such page on this host</h1>');
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-cache' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    deploy: (next) => (root = resolve(next)),
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
