// The trainer's recording when the trainer's page is on an edge: two node processes on a real
// Redis and a real PostgreSQL. The origin (baku) holds the room and the studio's streams; the
// trainer's page moved to ganja. startRecording / stopRecording asked on ganja run on baku: the
// recording is baku's (its row, its folder), REC shows on the trainer's page from ganja's copy of
// the room, and goes off again.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestLectureOn } from '../fixtures/clusterLecture.js';
import { ClusterNode, startClusterServices, startNodes, type ClusterServices } from '../fixtures/clusterNode.js';
import { queryDatabase } from '../fixtures/postgres.js';
import { waitFor } from '../helpers.js';
import type { TestLecture } from '../lectures.js';
import { TestPeer } from '../peer.js';

let services: ClusterServices | undefined;
let baku: ClusterNode;
let ganja: ClusterNode;
let lecture: TestLecture;
const peers: TestPeer[] = [];

beforeAll(async () => {
  services = await startClusterServices();
  baku = await ClusterNode.create('baku', services.shared, { NODE_REGION: 'baku' });
  ganja = await ClusterNode.create('ganja', services.shared, { NODE_REGION: 'ganja' });
  await startNodes([baku, ganja]);
  lecture = await createTestLectureOn(baku);
}, 180_000);

afterAll(async () => {
  for (const p of peers) p.close();
  for (const n of [baku, ganja]) await n?.kill();
  await services?.stop();
});

const peer = async (node: ClusterNode, token: string) => {
  const p = new TestPeer(node.url, node.certificate, token);
  peers.push(p);
  return p.connected();
};

const recordingsOf = (lectureId: string) =>
  queryDatabase<{ node_id: string; status: string }>(services!.databaseUrl, 'SELECT node_id, status FROM recordings WHERE lecture_id = $1', [lectureId]);
const hasRecordings = (node: ClusterNode) => {
  const dir = path.join(node.dataDir, 'recordings');
  return existsSync(dir) && readdirSync(dir).length > 0;
};

describe("the trainer's recording with the trainer's page on an edge", () => {
  it('starts and stops on the origin: the recording is its, REC shows on the edge', async () => {
    const first = await peer(baku, lecture.trainer);
    await first.join();
    await first.request('startLecture', {});
    // The trainer's page reconnects on ganja: baku stays the origin (it holds the trainer of ganja).
    const trainer = await peer(ganja, lecture.trainer);
    await trainer.join();
    await first.waitForNotification('replaced');

    const started = await trainer.request('startRecording', {});
    expect(started.recordingSince).not.toBeNull();
    await trainer.waitForNotification('lectureState', (d) => d.recordingSince !== null);
    const rows = await waitFor(async () => {
      const r = await recordingsOf(lecture.lecture.id);
      return r.length > 0 ? r : undefined;
    }, 5_000, 'the recording in the store');
    expect(rows).toEqual([{ node_id: 'baku', status: 'recording' }]);
    expect(hasRecordings(baku)).toBe(true);
    expect(hasRecordings(ganja)).toBe(false);

    const stopped = await trainer.request('stopRecording', {});
    expect(stopped.recordingSince).toBeNull();
    await trainer.waitForNotification('lectureState', (d) => d.recordingSince === null);
    await waitFor(async () => (await recordingsOf(lecture.lecture.id)).every((r) => r.status !== 'recording'), 15_000, 'the recording stopped on baku');
    // Asked again on ganja: the origin's answer (not recording).
    const again = await trainer.raw('stopRecording', {});
    expect(again.ok).toBe(false);
    expect(!again.ok && again.error.code).toBe('INVALID_STATE');
  }, 90_000);
});
