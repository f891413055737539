// The load generator: every viewer's signaling client, in a process of its own
// (child_process.fork), so the server under test shares its event loop with nobody. Each viewer
// is what a real attendee's browser is on the wire: socket.io over loopback TLS to the server,
// mediasoup-client (FakeHandler: no RTCPeerConnection, so its WebRTC transport never connects)
// joining with the attendee link and receiving both of the studio's producers.
// As the page does (see README "The join alone"): it opens its connection and loads its device
// with the router's capabilities (`routerCapabilities`) when it loads, before the join press —
// the "page open" phase (`open`), NOT inside join → first RTP; then the join carries the device's
// capabilities and its answer brings the receiving transport and both consumers, created sending,
// set up locally with no request; the join carries the transport's DTLS parameters too (the page's
// own certificate, media/dtlsIdentity.ts), so the server connects it in the join and the local
// consume asks nothing; and since the page opens its receiving transport and connects it as it loads
// (`prepareRecv`, once its device is loaded), the join takes that one over and only makes the
// consumers. The clock of join → first RTP starts at the `join` message.
// Flows before, for a before/after in one run: BENCH_PREPARE_RECV=0, the transport opened and
// connected in the join (arm teleclass-unprepared); BENCH_JOIN_DTLS=0, the join without DTLS parameters
// (the first local consume waits for a `connectTransport` round trip); BENCH_PRECONNECT=0, the flow before this (connect
// inside the join, `join { openRecv }`, then both consumes carrying the capabilities);
// BENCH_RECV_IN_JOIN=0, a `createTransport` round trip after the join (older); BENCH_CONSUME_PAUSED=1,
// consumers made paused and resumed (older still).
// The media the benchmark counts leaves over a separate transport the bench adds on the server
// side (see teleclass.ts).
import { TestPeer } from '../server/test/peer.js';

export type LoadGenRequest =
  | { type: 'init'; url: string; ca: string; token: string }
  | { type: 'open'; id: number; index: number }
  | { type: 'join'; id: number; index: number }
  | { type: 'close'; id: number }
  | { type: 'stop' };

export type LoadGenMessage =
  | { type: 'ready' }
  | { type: 'opened'; id: number; ms: number; socketId: string | null }
  | { type: 'joined'; id: number; peerId: string; socketId: string; producerIds: string[]; phases: Record<string, number>; pressedNs: string }
  | { type: 'failed'; id: number; message: string };

let server: { url: string; ca: Buffer; token: string } | undefined;
const peers = new Map<number, TestPeer>();
const reply = (m: LoadGenMessage) => {
  if (process.connected) process.send!(m); // the bench may have gone (a failed run)
};

const recvInJoin = process.env['BENCH_RECV_IN_JOIN'] !== '0';
/** The page's flow: connect and load the device before the join press (off the join's clock). */
const preconnect = recvInJoin && process.env['BENCH_PRECONNECT'] !== '0' && process.env['BENCH_CONSUME_PAUSED'] !== '1';
/** The page's flow: the join carries the receiving transport's DTLS parameters (connected in the join). */
const dtlsInJoin = preconnect && process.env['BENCH_JOIN_DTLS'] !== '0';
/** The page's flow: the receiving transport opened and connected at page open (`prepareRecv`), taken over by the join. */
const prepared = dtlsInJoin && process.env['BENCH_PREPARE_RECV'] !== '0';

/** The page loads: its connection and its device, before the join press (nothing in the flows before). */
async function open(id: number): Promise<void> {
  if (!server) throw new Error('open before init');
  const t0 = performance.now();
  if (preconnect) {
    const viewer = new TestPeer(server.url, server.ca, server.token);
    peers.set(id, viewer);
    await viewer.connected();
    await viewer.preload();
    if (prepared) await viewer.prepare({ dtls: true });
  }
  reply({ type: 'opened', id, ms: preconnect ? performance.now() - t0 : 0, socketId: peers.get(id)?.socket.id ?? null });
}

async function join(id: number, index: number): Promise<void> {
  if (!server) throw new Error('join before init');
  // Each phase timed on its own (the bench prints where a join's time goes). The press: the clock
  // of join → first RTP starts here (CLOCK_MONOTONIC, the counter's clock), as a page's would.
  const pressedNs = process.hrtime.bigint();
  const t0 = performance.now();
  let viewer = peers.get(id);
  const opened = viewer !== undefined;
  if (!viewer) {
    viewer = new TestPeer(server.url, server.ca, server.token);
    peers.set(id, viewer);
  }
  await viewer.connected();
  const t1 = performance.now();
  // Preloaded: the answer carries the consumers too, set up locally (no request).
  const answer = await viewer.join(`Viewer ${index}`, { openRecv: recvInJoin, adopt: false, dtls: dtlsInJoin });
  const tJoin = performance.now();
  if (viewer.recvTransport) await viewer.adopt(answer);
  const t2 = performance.now();
  if (!viewer.recvTransport) await viewer.openRecv(); // not asked in the join, or not opened there
  const t3 = performance.now();
  const producerIds = answer.producers.map((p) => p.id);
  if (producerIds.length !== 2) throw new Error(`expected the studio's 2 producers, got ${producerIds.length}`);
  // Those the join did not bring: both at once, as the browser does (client/src/media/Reception.ts
  // consumes each producer without waiting for the other), and sending from the start, as it asks
  // before its transport connects.
  const resume = process.env['BENCH_CONSUME_PAUSED'] !== '1';
  const missing = producerIds.filter((p) => !answer.consumers.some((c) => c.producerId === p));
  await Promise.all(missing.map((producerId) => viewer.consume(producerId, { resume })));
  const t4 = performance.now();
  const withConsumers = answer.consumers.length > 0;
  const phases: Record<string, number> = {
    ...(!opened && { 'socket.io + TLS connect': t1 - t0 }),
    [withConsumers ? (prepared ? 'join (+ consumers; recv transport prepared at page open)' : 'join (+ recv transport, consumers)') : recvInJoin ? 'join (+ recv transport)' : 'join']: (withConsumers ? tJoin : t2) - t1,
    ...(withConsumers && { [answer.recvConnected ? 'local consume (the answer\'s consumers, no request)' : 'local consume (+ connectTransport)']: t2 - tJoin }),
    ...(!recvInJoin && { 'createTransport (recv)': t3 - t2 }),
    ...(missing.length > 0 && { [resume ? 'consume (created sending)' : 'consume + resume']: t4 - t3 }),
  };
  reply({ type: 'joined', id, peerId: answer.self.id, socketId: viewer.socket.id ?? '', producerIds, phases, pressedNs: String(pressedNs) });
}

process.on('message', (m: LoadGenRequest) => {
  switch (m.type) {
    case 'init':
      server = { url: m.url, ca: Buffer.from(m.ca, 'utf8'), token: m.token };
      break;
    case 'open':
      open(m.id).catch((error: unknown) => reply({ type: 'failed', id: m.id, message: String(error) }));
      break;
    case 'join':
      join(m.id, m.index).catch((error: unknown) => reply({ type: 'failed', id: m.id, message: String(error) }));
      break;
    case 'close':
      peers.get(m.id)?.close();
      peers.delete(m.id);
      break;
    case 'stop':
      for (const p of peers.values()) p.close();
      peers.clear();
      process.disconnect();
      break;
  }
});
process.send!({ type: 'ready' } satisfies LoadGenMessage);
