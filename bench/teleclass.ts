// The Teleclass target: the real server (startServer, as the integration tests run it) in the
// bench's main process, which does nothing else during a measurement but read counters; a
// lecture made through the admin API; viewers' signaling clients in a separate load-generator
// process (loadgen.ts, child_process.fork) talking socket.io to the server over loopback, exactly
// as real viewers do.
//
// Media goes through LectureMedia's public methods only (no mediasoup object leaves server/src/media):
//  - studio: the trainer joins and opens its sending transport through signaling (the server
//    places it on the lecture's home worker); the bench then calls LectureMedia.ingestAll() for
//    camera and microphone: one comedia PlainTransport on the trainer's router, the server's own
//    producer bookkeeping, `produceradded` notifications and active-speaker observer. The
//    trainer's one socket stays in this process.
//  - viewers: each one's page opens (its connection, its device loaded with `routerCapabilities`:
//    `openViewer`, before the join's clock starts), then it joins with the attendee link, its
//    answer bringing the recv transport and both consumers (flows before: loadgen.ts), in the
//    load generator (mediasoup-client FakeHandler: that
//    WebRTC transport never connects, so its consumers forward nothing). Media goes over an SRTP
//    PlainTransport made by LectureMedia.egress() on the router the server placed the viewer on
//    (the server's placement, pipeToRouter already done by the signaling consume), to a counter.
import { fork, type ChildProcess } from 'node:child_process';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, type RunningServer } from '../server/src/server.js';
import { JOIN_ANSWERED_CHANNEL, JOIN_TRACE_CHANNEL, type JoinAnswered, type JoinStep } from '../server/src/lecture/joinTrace.js';
import { testConfig, testLogger } from '../server/test/helpers.js';
import { createTestLecture } from '../server/test/lectures.js';
import { TestPeer } from '../server/test/peer.js';
import type { LoadGenMessage, LoadGenRequest } from './loadgen.js';
import { INGEST_RTP, type Target, type ViewerHandle } from './target.js';
import { BENCH_DIR, childExecArgv } from './options.js';

const JOIN_TIMEOUT_MS = 60_000;

type Answer = Extract<LoadGenMessage, { type: 'joined' | 'opened' }>;

/**
 * The load-generator child: one request id per viewer (its page opened, then joined), each
 * message answered when done.
 */
class LoadGen {
  readonly #child: ChildProcess;
  #next = 0;
  /** The id of each viewer index whose page is open (`open`), for its `join`. */
  readonly #opened = new Map<number, number>();
  readonly #pending = new Map<number, { resolve: (m: Answer) => void; reject: (e: Error) => void }>();
  private constructor(child: ChildProcess) {
    this.#child = child;
    child.on('message', (m: LoadGenMessage) => {
      if (m.type === 'ready') return;
      const p = this.#pending.get(m.id);
      this.#pending.delete(m.id);
      if (m.type === 'failed') p?.reject(new Error(`load generator: ${m.message}`));
      else p?.resolve(m);
    });
    child.on('exit', (code) => {
      for (const p of this.#pending.values()) p.reject(new Error(`load generator exited (${code})`));
      this.#pending.clear();
    });
  }
  static async start(init: Omit<Extract<LoadGenRequest, { type: 'init' }>, 'type'>): Promise<LoadGen> {
    const child = fork(path.join(BENCH_DIR, 'loadgen.ts'), [], {
      execArgv: childExecArgv(),
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const [msg] = (await once(child, 'message')) as [LoadGenMessage];
    if (msg.type !== 'ready') throw new Error('load generator did not start');
    const gen = new LoadGen(child);
    gen.#send({ type: 'init', ...init });
    return gen;
  }
  get pid(): number | undefined {
    return this.#child.pid;
  }
  #send(m: LoadGenRequest): void {
    this.#child.send(m);
  }
  /** The viewer's page loads (its connection and device, before the join press): ms it took, and its connection's id. */
  async open(index: number): Promise<{ ms: number; socketId: string | null }> {
    const id = ++this.#next;
    this.#opened.set(index, id);
    const m = await this.#ask({ type: 'open', id, index });
    return m.type === 'opened' ? { ms: m.ms, socketId: m.socketId } : { ms: NaN, socketId: null };
  }
  /** The join press of viewer `index` (on its open page, if `open` ran). */
  async join(index: number): Promise<Extract<LoadGenMessage, { type: 'joined' }>> {
    const id = this.#opened.get(index) ?? ++this.#next;
    this.#opened.delete(index);
    const m = await this.#ask({ type: 'join', id, index });
    if (m.type !== 'joined') throw new Error('load generator: unexpected answer');
    return m;
  }
  #ask(m: Extract<LoadGenRequest, { type: 'open' | 'join' }>): Promise<Answer> {
    return new Promise((resolve, reject) => {
      // Bounded: a step that never answers (a socket that neither connects nor fails) fails its
      // step instead of holding the run forever.
      const timer = setTimeout(() => {
        this.#pending.delete(m.id);
        reject(new Error(`${m.type} timed out after ${JOIN_TIMEOUT_MS} ms`));
      }, JOIN_TIMEOUT_MS);
      this.#pending.set(m.id, {
        resolve: (a) => (clearTimeout(timer), resolve(a)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      this.#send(m);
    });
  }
  close(id: number): void {
    if (this.#child.connected) this.#send({ type: 'close', id });
  }
  async stop(): Promise<void> {
    if (!this.#child.connected) return;
    const exited = once(this.#child, 'exit');
    this.#send({ type: 'stop' });
    await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
    if (this.#child.exitCode === null) this.#child.kill();
  }
}

/**
 * The server answering each opened page's join (lecture/joinTrace.ts `joinAnswered`), heard in
 * this process (the server's): the counted leg starts there, as bare's starts right after its
 * WebRTC leg in its one process, not after the answer's trip to the load generator and a message
 * back (a hop the bench adds: a browser's media path goes to the worker, not through the server's
 * event loop). Bounded: a wait ends with its join (answered or failed).
 */
class ServerAnswers {
  readonly #waiting = new Map<string, (peerId: string) => void>();
  readonly #listener = (message: unknown) => {
    const { socketId, peerId } = message as JoinAnswered;
    this.#waiting.get(socketId)?.(peerId);
    this.#waiting.delete(socketId);
  };
  constructor() {
    subscribe(JOIN_ANSWERED_CHANNEL, this.#listener);
  }
  /** The peer id the server's answer to `socketId`'s join names (never settles if there is none: race it with the join). */
  wait(socketId: string): Promise<string> {
    return new Promise((resolve) => this.#waiting.set(socketId, resolve));
  }
  forget(socketId: string): void {
    this.#waiting.delete(socketId);
  }
  close(): void {
    unsubscribe(JOIN_ANSWERED_CHANNEL, this.#listener);
  }
}

/**
 * The server's own steps of each connection's join (lecture/joinTrace.ts), heard in this process
 * (the server's), by socket id until the viewer's join is done. Steps that run at once (e.g. the
 * two consumes) keep the longest. Bounded: the oldest connections are forgotten first.
 */
class ServerSteps {
  static readonly MAX_CONNECTIONS = 5000;
  readonly #bySocket = new Map<string, Record<string, number>>();
  readonly #listener = (message: unknown) => {
    const { socketId, step, ms } = message as JoinStep;
    let steps = this.#bySocket.get(socketId);
    if (!steps) {
      if (this.#bySocket.size >= ServerSteps.MAX_CONNECTIONS) this.#bySocket.delete(this.#bySocket.keys().next().value!);
      steps = {};
      this.#bySocket.set(socketId, steps);
    }
    steps[step] = Math.max(steps[step] ?? 0, ms);
  };
  constructor() {
    subscribe(JOIN_TRACE_CHANNEL, this.#listener);
  }
  /** `pageOpened`: the connection was made when the page loaded, so its handshake is not in the join. */
  take(socketId: string, pageOpened: boolean): Record<string, number> {
    const steps = this.#bySocket.get(socketId) ?? {};
    this.#bySocket.delete(socketId);
    const atPageOpen = (k: string) => k.startsWith('prepare') || (pageOpened && k.startsWith('handshake'));
    return Object.fromEntries(Object.entries(steps).map(([k, v]) => [atPageOpen(k) ? `server · page open · ${k}` : `server · ${k}`, v]));
  }
  close(): void {
    unsubscribe(JOIN_TRACE_CHANNEL, this.#listener);
  }
}

export async function startTeleclass(workers: number): Promise<Target> {
  // Every bench viewer comes from 127.0.0.1, into one lecture: lift the per-address and per-lecture caps.
  const server: RunningServer = await startServer(
    testConfig({ MEDIASOUP_WORKERS: String(workers), MAX_SOCKETS_PER_IP: '100000', MAX_PARTICIPANTS: '100000', MEDIASOUP_IO_URING: process.env['MEDIASOUP_IO_URING'] ?? '0' }),
    testLogger(),
  );
  let trainer: TestPeer | undefined;
  let loadgen: LoadGen | undefined;
  const serverSteps = new ServerSteps();
  const serverAnswers = new ServerAnswers();
  /** Each opened page's connection id, by viewer index (its join's answer is heard from the server). */
  const socketIds = new Map<number, string>();
  // The viewers' page-open times (ms), not part of any join: written for the join bench
  // (BENCH_PAGE_OPEN_FILE, set by joinBench.ts) when the target closes.
  const pageOpens: number[] = [];
  const cleanup = async () => {
    const file = process.env['BENCH_PAGE_OPEN_FILE'];
    if (file) writeFileSync(file, JSON.stringify(pageOpens.filter(Number.isFinite)));
    serverSteps.close();
    serverAnswers.close();
    await loadgen?.stop();
    trainer?.close();
    await server.close();
  };
  try {
    const lecture = await createTestLecture(server, { title: 'Benchmark lecture', sites: ['Ganja'] });
    trainer = new TestPeer(server.url, server.certificate, lecture.trainer);
    const joined = await trainer.join();
    await trainer.request('startLecture', {});
    await trainer.request('createTransport', { direction: 'send' });
    const media = (await server.registry.getOrCreate(lecture.lecture.id)).media;
    const studio = await media.ingestAll(joined.self.id, [
      { kind: 'video', source: 'camera', rtpParameters: INGEST_RTP.video as never },
      { kind: 'audio', source: 'microphone', rtpParameters: INGEST_RTP.audio as never },
    ]);
    const producerIds = media.producers().map((p) => p.id);
    const gen = await LoadGen.start({ url: server.url, ca: server.certificate.toString('utf8'), token: lecture.attendee });
    loadgen = gen;

    return {
      name: 'teleclass',
      ingest: { ip: '127.0.0.1', port: studio.port },
      attendeeUrl: lecture.links.attendee,
      workers: () => server.pool.workers.map((w) => w.worker),
      pids: () => ({ server: process.pid, loadgen: gen.pid }),
      // The join bench's flow (BENCH_PAGE_OPEN=1, set by joinBench.ts): the page opens before the
      // press. The knee and the fan-out run keep timing from the connect (the flow before) until
      // their own tests and tables move to it.
      ...(process.env['BENCH_PAGE_OPEN'] === '1' && {
        async openViewer(index: number) {
          const { ms, socketId } = await gen.open(index);
          pageOpens.push(ms);
          if (socketId) socketIds.set(index, socketId);
        },
      }),
      async addViewer(index, counter, sink, suite): Promise<ViewerHandle> {
        const t0 = performance.now();
        const t0Ns = process.hrtime.bigint();
        // An opened page's join: the counted leg starts when the server answers it (ServerAnswers);
        // else (the flows that connect in the join) when the load generator reports it back.
        const socketId = socketIds.get(index);
        socketIds.delete(index);
        const joined = gen.join(index);
        let peerId: string;
        try {
          peerId = socketId ? await Promise.race([serverAnswers.wait(socketId), joined.then((a) => a.peerId)]) : (await joined).peerId;
        } finally {
          if (socketId) serverAnswers.forget(socketId);
        }
        const t1 = performance.now();
        const egress = await media.egress(peerId, producerIds, { to: counter, announce: (tracks, leg) => sink.announce(tracks, leg), cryptoSuite: suite });
        const t2 = performance.now();
        const legsDoneNs = process.hrtime.bigint();
        const answer = await joined;
        if (answer.producerIds.length !== producerIds.length) throw new Error('the viewer did not see both producers');
        // The clock starts at the press in the load generator (the viewer's side); the bench's
        // message asking it to press is before that, off the clock. Then the load generator's
        // phases, the IPC hop back (when the counted leg waits for it), then the counted leg. The
        // server's steps are parts of the load generator's phases (some at once), listed after them.
        const pressedNs = BigInt(answer.pressedNs);
        const toPress = Number(pressedNs - t0Ns) / 1e6;
        const signaled = Object.values(answer.phases).reduce((a, b) => a + b, 0);
        const phases = {
          ...answer.phases,
          ...(!socketId && { 'load generator IPC, the answer back': Math.max(0, t1 - t0 - toPress - signaled) }),
          [socketId ? 'counted leg (egress: plain transport, consumes; from the server\'s answer)' : 'counted leg (egress: plain transport, consumes)']: t2 - t1,
          ...serverSteps.take(answer.socketId, !('socket.io + TLS connect' in answer.phases)),
        };
        return {
          workerIndex: media.placementOf(answer.peerId).workerIndex,
          tracks: [...egress.tracks],
          pressedNs,
          // The load generator's local set-up ran beside the counted leg, which alone gates the media.
          ...(socketId && { legsDoneNs }),
          phases,
          close: () => {
            egress.close();
            gen.close(answer.id);
          },
        };
      },
      close: cleanup,
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
