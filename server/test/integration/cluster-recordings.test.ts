// A recording's files are in the DATA_DIR of the node that recorded it; the recording page and the
// admin page call the node they were loaded from. Two node processes on a real Redis and a real
// PostgreSQL: a recording whose files are on baku is played (whole and by Range, as a <video>
// asks) and deleted through ganja, which passes the calls on over the signed internal API; baku
// SIGKILLed: ganja answers 503 NODE_UNAVAILABLE and deletes nothing. A signed call is needed for
// the internal API itself.
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestLectureOn } from '../fixtures/clusterLecture.js';
import { CLUSTER_ADMIN_TOKEN, ClusterNode, startClusterServices, startNodes, type ClusterServices } from '../fixtures/clusterNode.js';
import { queryDatabase } from '../fixtures/postgres.js';
import { waitFor } from '../helpers.js';
import type { TestLecture } from '../lectures.js';

let services: ClusterServices | undefined;
let baku: ClusterNode;
let ganja: ClusterNode;
let lecture: TestLecture;

beforeAll(async () => {
  services = await startClusterServices();
  baku = await ClusterNode.create('baku', services.shared, { NODE_REGION: 'baku' });
  ganja = await ClusterNode.create('ganja', services.shared, { NODE_REGION: 'ganja' });
  await startNodes([baku, ganja]);
  lecture = await createTestLectureOn(baku);
}, 180_000);

afterAll(async () => {
  for (const n of [baku, ganja]) await n?.kill();
  await services?.stop();
});

/** A composed recording made by `node`: its MP4 in that node's DATA_DIR and its row in the shared store. */
async function recordingOn(node: ClusterNode, bytes: number): Promise<{ id: string; dir: string; video: Buffer }> {
  const id = randomUUID();
  const dir = path.join(node.dataDir, 'recordings', lecture.lecture.id, id);
  mkdirSync(dir, { recursive: true });
  const video = randomBytes(bytes);
  writeFileSync(path.join(dir, 'lecture.mp4'), video);
  const now = Date.now();
  await queryDatabase(
    services!.databaseUrl,
    `INSERT INTO recordings (id, lecture_id, started_at, ended_at, status, dir, progress, output, output_bytes, created_at, node_id)
     VALUES ($1, $2, $3, $4, 'ready', $5, 100, 'lecture.mp4', $6, $7, $8)`,
    [id, lecture.lecture.id, now - 60_000, now, dir, bytes, now, node.id],
  );
  return { id, dir, video };
}

/** GET with the raw bytes of the answer (a video is not text). */
function getBytes(node: ClusterNode, urlPath: string, headers: Record<string, string> = {}, admin = true): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = https.request(`${node.url}${urlPath}`, { ca: node.certificate, headers: { ...(admin && { authorization: `Bearer ${CLUSTER_ADMIN_TOKEN}` }), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe("a recording's files on another node", () => {
  let first: { id: string; dir: string; video: Buffer };

  it('its video plays through the node the page was loaded from, whole and by Range', async () => {
    first = await recordingOn(baku, 300_000);
    // On its own node, as on one server.
    const here = await getBytes(baku, `/api/recordings/${first.id}/video`);
    expect(here.status).toBe(200);
    expect(here.body.equals(first.video)).toBe(true);

    const whole = await getBytes(ganja, `/api/recordings/${first.id}/video`);
    expect(whole.status).toBe(200);
    expect(whole.headers['content-type']).toBe('video/mp4');
    expect(whole.headers['accept-ranges']).toBe('bytes');
    expect(whole.body.equals(first.video)).toBe(true);

    const part = await getBytes(ganja, `/api/recordings/${first.id}/video`, { range: 'bytes=1000-1999' });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 1000-1999/${first.video.length}`);
    expect(part.body.equals(first.video.subarray(1000, 2000))).toBe(true);

    // The viewing link the admin hands out (a token in the query, no admin token) works through ganja too.
    const detail = await ganja.request('GET', `/api/recordings/${first.id}`, { token: CLUSTER_ADMIN_TOKEN });
    const token = new URL((detail.json as { viewUrl: string }).viewUrl).searchParams.get('token')!;
    const viewed = await getBytes(ganja, `/api/recordings/${first.id}/video?download=1&token=${encodeURIComponent(token)}`, {}, false);
    expect(viewed.status).toBe(200);
    expect(String(viewed.headers['content-disposition'])).toMatch(/^attachment/);
    expect(viewed.body.length).toBe(first.video.length);
  }, 60_000);

  it("the internal API answers only the cluster's nodes", async () => {
    const unsigned = await ganja.request('GET', `/internal/recordings/${first.id}/video`);
    expect(unsigned.status).toBe(401);
    const unsignedDelete = await baku.request('DELETE', `/internal/recordings/${first.id}/files`, { token: CLUSTER_ADMIN_TOKEN });
    expect(unsignedDelete.status).toBe(401);
    expect(existsSync(first.dir)).toBe(true);
  });

  it('deleted through the node the admin page was loaded from: its files go on the node that holds them', async () => {
    const deleted = await ganja.request('DELETE', `/api/recordings/${first.id}`, { token: CLUSTER_ADMIN_TOKEN });
    expect(deleted.status).toBe(204);
    expect(existsSync(first.dir)).toBe(false);
    expect((await ganja.request('GET', `/api/recordings/${first.id}`, { token: CLUSTER_ADMIN_TOKEN })).status).toBe(404);
  }, 30_000);

  it('its node dead: 503 NODE_UNAVAILABLE, and nothing is deleted', async () => {
    const second = await recordingOn(baku, 10_000);
    await baku.kill();
    const killed = Date.now();
    // Until ganja's registry drops baku (≤ 2.5 s) the call fails on the connection: 503 either way.
    const answer = await waitFor(
      async () => {
        const a = await getBytes(ganja, `/api/recordings/${second.id}/video`);
        return a.status === 503 ? a : undefined;
      },
      15_000,
      'ganja to answer 503 for a video on dead baku',
    );
    expect(JSON.parse(answer.body.toString('utf8')).error.code).toBe('NODE_UNAVAILABLE');
    console.log(`[cluster-recordings] baku SIGKILLed → ganja answers 503 NODE_UNAVAILABLE for its video after ${Date.now() - killed} ms`);
    const refused = await ganja.request('DELETE', `/api/recordings/${second.id}`, { token: CLUSTER_ADMIN_TOKEN });
    expect(refused.status).toBe(503);
    expect((refused.json as { error: { code: string } }).error.code).toBe('NODE_UNAVAILABLE');
    expect(existsSync(second.dir)).toBe(true);
    expect((await ganja.request('GET', `/api/recordings/${second.id}`, { token: CLUSTER_ADMIN_TOKEN })).status).toBe(200);
    // The lecture, which has a recording on baku, is not deleted either (nothing changes before its files can go).
    const lectureDelete = await ganja.request('DELETE', `/api/lectures/${lecture.lecture.id}`, { token: CLUSTER_ADMIN_TOKEN });
    expect(lectureDelete.status).toBe(503);
    expect((await ganja.request('GET', `/api/lectures/${lecture.lecture.id}`, { token: CLUSTER_ADMIN_TOKEN })).status).toBe(200);
  }, 60_000);
});
