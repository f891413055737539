// The built client as a weak link gets it: pre-compressed by Accept-Encoding, hashed assets cached
// for a year, the HTML revalidated, no source maps; JSON API answers compressed, nothing else.
// A real server over HTTPS on 127.0.0.1, serving a client folder this test writes.
import { mkdirSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseEncoding } from '../../src/http/encoding.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { createTestLecture } from '../lectures.js';
import { tempDir, testConfig, testLogger } from '../helpers.js';

const dist = tempDir('static-client');
const JS = `export const answer = ${JSON.stringify('x'.repeat(4000))};\n`;
const HTML = '<!doctype html><html lang="az"><head><script type="module" src="/assets/app-abc123.js"></script></head><body><div id="root"></div></body></html>\n';
const CHROMIUM = 'gzip, deflate, br, zstd';

function writeWithVariants(file: string, text: string): void {
  writeFileSync(file, text);
  writeFileSync(`${file}.br`, brotliCompressSync(text));
  writeFileSync(`${file}.gz`, gzipSync(text));
}
mkdirSync(path.join(dist, 'assets'), { recursive: true });
writeWithVariants(path.join(dist, 'index.html'), HTML);
writeWithVariants(path.join(dist, 'assets', 'app-abc123.js'), JS);
writeFileSync(path.join(dist, 'assets', 'plain-def456.png'), Buffer.alloc(3000, 7)); // no variants
writeFileSync(path.join(dist, 'assets', 'app-abc123.js.map'), '{"version":3,"sources":["secret.ts"]}');
writeFileSync(path.join(dist, '.sources-sha256'), 'stamp-not-for-browsers');

let server: RunningServer;
beforeAll(async () => {
  server = await startServer(testConfig({ CLIENT_DIST: dist }), testLogger());
});
afterAll(async () => server?.close());

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}
function get(pathname: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = https.request(`${server.url}${pathname}`, { method, ca: server.certificate, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}
const decoded = (r: Raw) =>
  (r.headers['content-encoding'] === 'br' ? brotliDecompressSync(r.body) : r.headers['content-encoding'] === 'gzip' ? gunzipSync(r.body) : r.body).toString();

describe('the served client', () => {
  it('sends a hashed asset as brotli to Chromium, cached for a year, with Vary', async () => {
    const r = await get('/assets/app-abc123.js', { 'accept-encoding': CHROMIUM });
    expect(r.status).toBe(200);
    expect(r.headers['content-encoding']).toBe('br');
    expect(r.headers['content-type']).toMatch(/^text\/javascript/);
    expect(r.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(r.headers['vary']).toMatch(/Accept-Encoding/i);
    expect(Number(r.headers['content-length'])).toBe(r.body.length);
    expect(r.body.length).toBeLessThan(JS.length / 10);
    expect(decoded(r)).toBe(JS);
  });

  it.each([
    ['gzip', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['gzip;q=1, br;q=0.5', 'gzip'],
    ['*', 'br'],
    ['identity', undefined],
    ['', undefined],
  ])('Accept-Encoding "%s" gets %s', async (accept, encoding) => {
    const r = await get('/assets/app-abc123.js', accept ? { 'accept-encoding': accept } : {});
    expect(r.status).toBe(200);
    expect(r.headers['content-encoding']).toBe(encoding);
    expect(decoded(r)).toBe(JS);
  });

  it('keeps byte ranges for the plain file', async () => {
    const r = await get('/assets/app-abc123.js', { range: 'bytes=0-9' });
    expect(r.status).toBe(206);
    expect(r.body.toString()).toBe(JS.slice(0, 10));
  });

  it('answers the HTML of every page no-cache, compressed, and revalidates it by ETag', async () => {
    for (const page of ['/', '/watch/some-lecture?token=x', '/kiosk/some-site', '/index.html']) {
      const r = await get(page, { 'accept-encoding': CHROMIUM });
      expect(r.status, page).toBe(200);
      expect(r.headers['cache-control'], page).toBe('no-cache');
      expect(r.headers['content-type'], page).toMatch(/^text\/html/);
      expect(r.headers['content-encoding'], page).toBe('br');
      expect(decoded(r), page).toBe(HTML);
    }
    const first = await get('/watch/x', { 'accept-encoding': CHROMIUM });
    const again = await get('/watch/x', { 'accept-encoding': CHROMIUM, 'if-none-match': String(first.headers['etag']) });
    expect(again.status).toBe(304);
  });

  it('never serves a source map, a missing asset as HTML, or a file outside the client', async () => {
    expect((await get('/assets/app-abc123.js.map')).status).toBe(404);
    expect((await get('/assets/app-abc123.js.map', { authorization: `Bearer ${server.adminToken}` })).status).toBe(404);
    const missing = await get('/assets/gone-999.js', { 'accept-encoding': CHROMIUM });
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toMatch(/^text\/plain/);
    for (const sneaky of ['/.sources-sha256', '/assets/..%2f..%2f..%2fetc%2fpasswd', '/%2e%2e/%2e%2e/etc/passwd']) {
      const r = await get(sneaky);
      expect(r.status, sneaky).not.toBe(500);
      expect(decoded(r), sneaky).not.toMatch(/stamp-not-for-browsers|root:/);
    }
    expect((await get('/%c0')).status).toBe(400);
  });

  it('sends a file without variants as it is, cached as an asset', async () => {
    const r = await get('/assets/plain-def456.png', { 'accept-encoding': CHROMIUM });
    expect(r.status).toBe(200);
    expect(r.headers['content-encoding']).toBeUndefined();
    expect(r.headers['vary']).toBeUndefined();
    expect(r.headers['content-type']).toBe('image/png');
    expect(r.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });
});

describe('the JSON API', () => {
  it('compresses a long JSON answer, and leaves a short one and socket.io alone', async () => {
    for (let i = 0; i < 6; i++) await createTestLecture(server, { title: `Compressed lecture ${i} ${'·'.repeat(40)}` });
    const auth = { authorization: `Bearer ${server.adminToken}` };
    const long = await get('/api/lectures', { ...auth, 'accept-encoding': 'gzip' });
    expect(long.status).toBe(200);
    expect(long.headers['content-encoding']).toBe('gzip');
    expect(long.headers['vary']).toMatch(/Accept-Encoding/i);
    expect(JSON.parse(decoded(long)).lectures.length).toBeGreaterThanOrEqual(6);
    const plain = await get('/api/lectures', auth);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(plain.body.toString()).lectures.length).toBe(JSON.parse(decoded(long)).lectures.length);
    const short = await get('/api/nope', { ...auth, 'accept-encoding': 'gzip' });
    expect(short.headers['content-encoding']).toBeUndefined();
    const io = await get('/socket.io/?EIO=4&transport=polling', { 'accept-encoding': 'gzip' });
    expect(io.status).toBe(200);
    expect(io.body.toString()).toMatch(/^0\{"sid"/);
  });
});

describe('chooseEncoding', () => {
  it('weighs q-values, prefers brotli on a tie, honours q=0 and *', () => {
    expect(chooseEncoding('gzip, deflate, br, zstd', ['br', 'gzip'])).toBe('br');
    expect(chooseEncoding('gzip, deflate, br', ['gzip'])).toBe('gzip');
    expect(chooseEncoding('br;q=0.2, gzip;q=0.8', ['br', 'gzip'])).toBe('gzip');
    expect(chooseEncoding('*;q=0.5, br;q=0', ['br', 'gzip'])).toBe('gzip');
    expect(chooseEncoding('br;q=0, gzip;q=0', ['br', 'gzip'])).toBeNull();
    expect(chooseEncoding('br;q=banana', ['br'])).toBeNull();
    expect(chooseEncoding(undefined, ['br', 'gzip'])).toBeNull();
    expect(chooseEncoding('br', [])).toBeNull();
  });
});
