// Every HTTP answer carries security headers; bad HTTP input gets a 4xx with a message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server.js';
import { apiRequest } from '../lectures.js';
import { httpsRequest, testConfig, testLogger } from '../helpers.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startServer(testConfig(), testLogger());
});
afterAll(async () => server?.close());

describe('HTTP hardening', () => {
  it.each([
    ['GET', '/healthz'],
    ['GET', '/'],
    ['GET', '/site/some-lecture?token=x'],
    ['GET', '/api/lectures'],
    ['GET', '/api/nope'],
    ['POST', '/api/lectures'],
    // socket.io answers these itself (the polling handshake, a refused one).
    ['GET', '/socket.io/?EIO=4&transport=polling'],
    ['GET', '/socket.io/?EIO=3&transport=polling'],
  ])('%s %s carries the security headers', async (method, path) => {
    const res = await httpsRequest(method, `${server.url}${path}`, { ca: server.certificate });
    expect(res.headers['content-security-policy']).toMatch(/default-src 'self'.*frame-ancestors 'none'/);
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['permissions-policy']).toMatch(/camera=\(self\)/);
    expect(res.headers['x-powered-by']).toBeUndefined();
    // Cross-origin reads are for the WHIP endpoint alone, never the pages or the API.
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it.each([
    ['/%c0', 'text/plain'],
    ['/studio/%E0%A4%A', 'text/plain'],
    ['/api/recordings/%E0%A4%A', 'application/json'],
    ['/api/lectures/%E0%A4%A', 'application/json'],
  ])('a malformed URL %s is a plain 400, never a stack', async (path, type) => {
    const res = await httpsRequest('GET', `${server.url}${path}`, { ca: server.certificate, token: server.adminToken });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain(type);
    expect(res.body).not.toMatch(/URIError|at |node_modules|decodeParam/);
    expect(res.headers['content-security-policy']).toBeDefined();
  });

  it('refuses malformed JSON, oversize bodies and unknown fields with codes, never a 500', async () => {
    const bad = await apiRequest(server, 'POST', '/api/lectures', '{"title": ');
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('BAD_REQUEST');
    const huge = await apiRequest(server, 'POST', '/api/lectures', { title: 'x'.repeat(200_000) });
    expect(huge.status).toBe(413);
    const extra = await apiRequest(server, 'POST', '/api/lectures', {
      title: 'T', scheduledStart: new Date().toISOString(), trainerName: 'X', sites: [], admin: true,
    });
    expect(extra.status).toBe(400);
    expect(extra.json.error.message).toMatch(/admin/);
  });
});
