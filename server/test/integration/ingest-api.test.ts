// The ingest credentials and the WHIP endpoint's HTTP rules, without a browser: the admin token
// guards the credentials, rotation refuses the old key at once, WHIP answers 401/415/400/404/405
// and OPTIONS as RFC 9725 asks.
import { ingestCredentialsSchema } from '@teleclass/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server.js';
import { httpsRequest, testConfig, testLogger } from '../helpers.js';
import { apiRequest, createTestLecture } from '../lectures.js';

describe('ingest credentials and the WHIP endpoint', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer(testConfig(), testLogger());
  });
  afterAll(() => server.close());
  const sdp = (url: string, token: string, body = 'v=0\r\n', type = 'application/sdp') =>
    httpsRequest('POST', url, { ca: server.certificate, body, headers: { 'content-type': type }, token });

  it('hands out credentials to the admin only, and rotates them', async () => {
    const { lecture } = await createTestLecture(server);
    expect((await apiRequest(server, 'POST', `/api/lectures/${lecture.id}/ingest`, {}, null)).status).toBe(401);
    expect((await apiRequest(server, 'POST', '/api/lectures/no-such-lecture/ingest', {})).status).toBe(404);
    const first = await apiRequest(server, 'POST', `/api/lectures/${lecture.id}/ingest`, {});
    expect(first.status).toBe(200);
    const creds = ingestCredentialsSchema.parse(first.json.credentials);
    expect(first.json).toMatchObject({ feed: null, program: 'browser' });
    expect(creds.rtmp.url).toBe(`rtmp://127.0.0.1:${server.ingest.rtmpPort}/live`);
    // Stable until rotated.
    const again = await apiRequest(server, 'POST', `/api/lectures/${lecture.id}/ingest`, {});
    expect(again.json.credentials.whip.token).toBe(creds.whip.token);

    // The key works (a malformed offer is a 400, past the key check) …
    expect((await sdp(creds.whip.url, creds.whip.token)).status).toBe(400);
    expect((await sdp(creds.whip.url, creds.whip.token, '{}', 'application/json')).status).toBe(415);
    const rotated = await apiRequest(server, 'POST', `/api/lectures/${lecture.id}/ingest/rotate`, {});
    expect(rotated.status).toBe(200);
    expect(rotated.json.credentials.whip.token).not.toBe(creds.whip.token);
    // … and after rotation the old one is a 401 with a Bearer challenge.
    const refused = await sdp(creds.whip.url, creds.whip.token);
    expect(refused.status).toBe(401);
    expect(refused.headers['www-authenticate']).toMatch(/^Bearer/);
    expect((await sdp(creds.whip.url, rotated.json.credentials.whip.token)).status).toBe(400);
    // A refused offer leaves no lecture room open behind it.
    await expect.poll(() => server.registry.get(lecture.id), { timeout: 2000 }).toBeUndefined();
    // Another lecture's key is no key here.
    const other = await createTestLecture(server);
    const otherKey = (await apiRequest(server, 'POST', `/api/lectures/${other.lecture.id}/ingest`, {})).json.credentials.whip.token;
    expect((await sdp(creds.whip.url, otherKey)).status).toBe(401);
  });

  it('answers OPTIONS, PATCH and DELETE as RFC 9725 says', async () => {
    const { lecture } = await createTestLecture(server);
    const { whip } = (await apiRequest(server, 'POST', `/api/lectures/${lecture.id}/ingest`, {})).json.credentials;
    const options = await httpsRequest('OPTIONS', whip.url, { ca: server.certificate });
    expect(options.status).toBe(204);
    expect(options.headers['accept-post']).toBe('application/sdp');
    expect(options.headers['access-control-allow-headers']).toMatch(/Authorization/);
    const resource = `${whip.url}/00000000-0000-0000-0000-000000000000`;
    expect((await httpsRequest('PATCH', resource, { ca: server.certificate, body: 'a=end-of-candidates', headers: { 'content-type': 'application/trickle-ice-sdpfrag' }, token: whip.token })).status).toBe(405);
    expect((await httpsRequest('DELETE', resource, { ca: server.certificate, token: whip.token })).status).toBe(404);
    expect((await httpsRequest('DELETE', resource, { ca: server.certificate, token: 'wrong' })).status).toBe(401);
  });
});
