// The cascade's internal API refuses what does not come from a node of the cluster, and bad
// bodies, before anything is done: unsigned, wrongly signed, too old, too large, malformed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InternalClient } from '../../src/cluster/cascade/InternalClient.js';
import { linkOpenedSchema } from '../../src/cluster/cascade/protocol.js';
import { cascadeKey, signRequest } from '../../src/cluster/cascade/signing.js';
import { openStore } from '../../src/store/openStore.js';
import type { Store } from '../../src/store/Store.js';
import { placeholder, TestCluster, TestNode } from '../fixtures/cascadeNodes.js';
import { httpsRequest, tempDir } from '../helpers.js';

describe('the cascade internal API', () => {
  let store: Store;
  let cluster: TestCluster;
  let node: TestNode;
  let lectureId: string;
  const endpoint = { ip: '127.0.0.1', port: 9, srtpParameters: { cryptoSuite: 'AEAD_AES_256_GCM', keyBase64: Buffer.alloc(44, 7).toString('base64') } };

  beforeAll(async () => {
    store = await openStore(tempDir('cascade-api'));
    cluster = new TestCluster();
    node = await TestNode.start(cluster, 'baku', store);
    lectureId = (await store.createLecture({ title: 'x', scheduledStart: new Date().toISOString(), trainerName: 't', sites: [] })).id;
  });
  afterAll(async () => {
    await node?.stop();
    await store?.close();
  });

  const post = (path: string, body: string, headers: Record<string, string>) =>
    httpsRequest('POST', `${node.url}${path}`, { ca: cluster.tls.cert, body, headers });

  it('refuses unsigned, wrongly signed and stale requests (401)', async () => {
    const body = JSON.stringify({ lectureId, endpoint });
    const path = '/internal/cascade/links';
    expect((await post(path, body, {})).status).toBe(401);
    const wrongKey = signRequest(cascadeKey('another cluster secret, 32 chars or more'), 'ganja', 'POST', path, Buffer.from(body));
    expect((await post(path, body, wrongKey)).status).toBe(401);
    const key = cascadeKey(cluster.secret);
    const stale = signRequest(key, 'ganja', 'POST', path, Buffer.from(body), Date.now() - 60_000);
    expect((await post(path, body, stale)).status).toBe(401);
    const otherBody = signRequest(key, 'ganja', 'POST', path, Buffer.from('{}'));
    expect((await post(path, body, otherBody)).status).toBe(401);
    expect(node.cascade.servedLinks).toBe(0);
  });

  it('answers bad bodies with 400, too large ones with 413, unknown lectures and links with 404', async () => {
    const key = cascadeKey(cluster.secret);
    const client = new InternalClient('ganja', key, { ca: [cluster.tls.cert] });
    await expect(client.call(node.url, 'POST', '/internal/cascade/links', { lectureId, endpoint: { ip: 'x' } }, linkOpenedSchema)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(client.call(node.url, 'POST', '/internal/cascade/links', { lectureId: 'no-such-lecture', endpoint }, linkOpenedSchema)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(client.call(node.url, 'POST', '/internal/cascade/links/nope/consume', { producerId: 'p' }, linkOpenedSchema)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const big = Buffer.alloc(100 * 1024, 'a').toString();
    const path = '/internal/cascade/links';
    expect((await post(path, big, signRequest(key, 'ganja', 'POST', path, Buffer.from(big)))).status).toBe(413);
    expect(node.cascade.servedLinks).toBe(0);
  });

  it('a link opened by one node is not another node\'s to use; the link of a node the registry does not know closes', async () => {
    const key = cascadeKey(cluster.secret);
    const ganja = new InternalClient('ganja', key, { ca: [cluster.tls.cert] });
    const sheki = new InternalClient('sheki', key, { ca: [cluster.tls.cert] });
    const { linkId } = await ganja.call(node.url, 'POST', '/internal/cascade/links', { lectureId, endpoint }, linkOpenedSchema);
    expect(node.cascade.servedLinks).toBe(1);
    await expect(sheki.call(node.url, 'POST', `/internal/cascade/links/${linkId}/consume`, { producerId: 'p' }, linkOpenedSchema)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect.poll(() => node.cascade.servedLinks, { timeout: 15_000 }).toBe(0);
    // The room is released on the next turn of the event loop after the link closes (Cascade: setImmediate).
    await expect.poll(() => node.registry.get(lectureId), { timeout: 5_000 }).toBeUndefined();
  });

  it('a node missing from the registry at one check keeps its link (its entry lapsed for a moment); missing at two in a row, the link closes', async () => {
    const origin = await TestNode.start(cluster, 'baku-2', store, { nodeCheckMs: 3_600_000 });
    try {
      cluster.nodes.set('gabala', placeholder('gabala'));
      const gabala = new InternalClient('gabala', cascadeKey(cluster.secret), { ca: [cluster.tls.cert] });
      await gabala.call(origin.url, 'POST', '/internal/cascade/links', { lectureId, endpoint }, linkOpenedSchema);
      expect(origin.cascade.servedLinks).toBe(1);
      cluster.nodes.delete('gabala');
      await origin.cascade.checkNodes();
      expect(origin.cascade.servedLinks).toBe(1);
      cluster.nodes.set('gabala', placeholder('gabala'));
      await origin.cascade.checkNodes();
      cluster.nodes.delete('gabala');
      await origin.cascade.checkNodes();
      expect(origin.cascade.servedLinks).toBe(1); // two misses, not in a row
      await origin.cascade.checkNodes();
      expect(origin.cascade.servedLinks).toBe(0);
    } finally {
      await origin.stop();
    }
  });
});
