// A worker dies mid-lecture: its participants are told to set up their media again and land on
// live workers; the trainer re-produces and viewers consume again, nobody rejoins.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server.js';
import { createTestLecture } from '../lectures.js';
import { TestPeer } from '../peer.js';
import { testConfig, testLogger, waitFor } from '../helpers.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startServer(testConfig({ MEDIASOUP_WORKERS: '2' }), testLogger());
});
afterAll(async () => server?.close());

describe('worker death heals', () => {
  it('the viewer worker and then the studio worker are killed; media comes back without a rejoin', async () => {
    const l = await createTestLecture(server);
    const trainer = new TestPeer(server.url, server.certificate, l.trainer);
    const t = await trainer.join();
    await trainer.request('startLecture', {});
    await trainer.openSend();
    await trainer.produceCamera();
    await trainer.produceMicrophone();

    const viewers = [new TestPeer(server.url, server.certificate, l.site('Ganja')), new TestPeer(server.url, server.certificate, l.attendee)];
    const joined = [];
    for (const [i, v] of viewers.entries()) {
      const j = await v.join(i === 1 ? 'Leyla' : undefined);
      joined.push(j);
      await v.openRecv();
      for (const p of j.producers) await v.consume(p.id);
    }
    const room = server.registry.get(l.lecture.id)!;
    const home = room.media.placementOf(t.self.id).workerPid;
    const viewerOnOther = joined.findIndex((j) => room.media.placementOf(j.self.id).workerPid !== home);
    expect(viewerOnOther).toBeGreaterThanOrEqual(0);
    const remote = viewers[viewerOnOther]!;
    const remoteId = joined[viewerOnOther]!.self.id;

    // 1. The worker of a viewer only: that viewer resets, the trainer keeps sending.
    process.kill(room.media.placementOf(remoteId).workerPid, 'SIGKILL');
    await remote.waitForNotification('mediaReset');
    expect(trainer.notifications.some((n) => n.name === 'mediaReset')).toBe(false);
    remote.recvTransport?.close();
    await waitFor(() => server.pool.aliveCount === 2, 3000, 'the replacement worker');
    await remote.openRecv();
    for (const p of room.media.producers()) await remote.consume(p.id);
    expect(await room.media.stats()).toMatchObject({ producers: 2, consumers: 4 });

    // 2. The studio's worker: the trainer (and any viewer there) resets and sends again; every
    // viewer gets the trainer back.
    const resets = (v: TestPeer) => v.notifications.filter((n) => n.name === 'mediaReset').length;
    const before = viewers.map(resets);
    const viewersOnHome = joined.filter((j) => room.media.placementOf(j.self.id).workerPid === home).length;
    process.kill(home, 'SIGKILL');
    await trainer.waitForNotification('mediaReset');
    for (const v of viewers) await v.waitForNotification('producerClosed');
    await waitFor(() => server.pool.aliveCount === 2, 3000, 'the replacement worker');
    trainer.sendTransport?.close();
    await trainer.openSend();
    const cam = await trainer.produceCamera();
    const mic = await trainer.produceMicrophone();
    expect(viewers.filter((v, i) => resets(v) > before[i]!).length).toBe(viewersOnHome);
    for (const [i, v] of viewers.entries()) {
      if (resets(v) > before[i]!) {
        v.recvTransport?.close();
        await v.openRecv();
      }
      await v.waitForNotification('producerAdded', (p) => p.id === cam.id);
      await v.consume(cam.id);
      await v.consume(mic.id);
    }
    const stats = await room.media.stats();
    expect(stats).toMatchObject({ peers: 3, producers: 2, consumers: 4 });
    for (const v of [trainer, ...viewers]) v.close();
    await waitFor(() => server.registry.size === 0, 5000, 'the lecture to close');
  });
});
