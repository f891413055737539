// The load generator: every viewer's signaling client, in a process of its own
// (child_process.fork), so the server under test shares its event loop with nobody. Each viewer
// is what a real attendee's browser is on the wire: socket.io over loopback TLS to the server,
// mediasoup-client (FakeHandler: no RTCPeerConnection, so its WebRTC transport never connects)
// joining with the attendee link, opening a recv transport, consuming both of the studio's
// producers, created sending as the browser's first consumers are (no resume round trip;
// BENCH_CONSUME_PAUSED=1: made paused and resumed, the protocol before, for a before/after row).
// The receiving transport comes with the join answer (`join { openRecv }`), as the browser asks
// it; BENCH_RECV_IN_JOIN=0: a `createTransport` round trip after the join, the protocol before.
// The media the benchmark counts leaves over a separate transport the bench adds on the server
// side (see teleclass.ts).
import { TestPeer } from '../server/test/peer.js';

export type LoadGenRequest =
  | { type: 'init'; url: string; ca: string; token: string }
  | { type: 'join'; id: number; index: number }
  | { type: 'close'; id: number }
  | { type: 'stop' };

export type LoadGenMessage =
  | { type: 'ready' }
  | { type: 'joined'; id: number; peerId: string; socketId: string; producerIds: string[]; phases: Record<string, number> }
  | { type: 'failed'; id: number; message: string };

let server: { url: string; ca: Buffer; token: string } | undefined;
const peers = new Map<number, TestPeer>();
const reply = (m: LoadGenMessage) => {
  if (process.connected) process.send!(m); // the bench may have gone (a failed run)
};

async function join(id: number, index: number): Promise<void> {
  if (!server) throw new Error('join before init');
  // Each phase timed on its own (the bench prints where a join's time goes).
  const t0 = performance.now();
  const viewer = new TestPeer(server.url, server.ca, server.token);
  peers.set(id, viewer);
  await viewer.connected();
  const t1 = performance.now();
  const recvInJoin = process.env['BENCH_RECV_IN_JOIN'] !== '0';
  const answer = await viewer.join(`Viewer ${index}`, { openRecv: recvInJoin });
  const t2 = performance.now();
  if (!viewer.recvTransport) await viewer.openRecv(); // not asked in the join, or not opened there
  const t3 = performance.now();
  const producerIds = answer.producers.map((p) => p.id);
  if (producerIds.length !== 2) throw new Error(`expected the studio's 2 producers, got ${producerIds.length}`);
  // Both at once, as the browser does (client/src/media/Reception.ts consumes each producer without
  // waiting for the other), and sending from the start, as it asks before its transport connects.
  const resume = process.env['BENCH_CONSUME_PAUSED'] !== '1';
  await Promise.all(producerIds.map((producerId) => viewer.consume(producerId, { resume })));
  const t4 = performance.now();
  const phases: Record<string, number> = {
    'socket.io + TLS connect': t1 - t0,
    [recvInJoin ? 'join (+ recv transport)' : 'join']: t2 - t1,
    ...(!recvInJoin && { 'createTransport (recv)': t3 - t2 }),
    [resume ? 'consume (created sending)' : 'consume + resume']: t4 - t3,
  };
  reply({ type: 'joined', id, peerId: answer.self.id, socketId: viewer.socket.id ?? '', producerIds, phases });
}

process.on('message', (m: LoadGenRequest) => {
  switch (m.type) {
    case 'init':
      server = { url: m.url, ca: Buffer.from(m.ca, 'utf8'), token: m.token };
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
