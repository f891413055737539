// A constrained link for one browser: the namespace and veth pair of e2e/netns.ts, and on the host
// side of the pair — the path TO that browser — a token-bucket rate limit (`tc … tbf`), and where
// the packets arrive in the namespace, random loss (an nftables `numgen random` rule; this kernel
// has no netem). It shapes WebRTC's UDP, not
// only HTTP. `close()` removes everything, also after a failure; `unavailable()` says why no link
// can be made here (not root, no `ip`/`tc`/`nft`), for the test to say so.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { BrowserNamespace, netnsUnavailable } from './netns.js';

const run = promisify(execFile);

async function sh(cmd: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run(cmd, args, { timeout: 10_000 });
    return stdout;
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')}: ${e.stderr?.trim() || e.message}`);
  }
}

export interface Shape {
  /** kbit/s towards the browser. */
  rateKbit: number;
  /** Random loss towards the browser (UDP), % (whole). */
  lossPct: number;
  /** Longest a packet may wait in the token bucket's queue before it is dropped, ms. */
  latencyMs?: number;
}

export class ConstrainedLink {
  readonly #ns: BrowserNamespace;
  readonly #table: string;
  #shaped = false;
  #closed = false;

  private constructor(ns: BrowserNamespace) {
    this.#ns = ns;
    this.#table = `teleclass_wl_${ns.name}`;
  }

  /** The host's address on the link (the server listens there for the browser inside). */
  get hostIp(): string {
    return this.#ns.hostAddress;
  }

  /** Why no link can be made on this machine (null: it can). */
  static async unavailable(): Promise<string | null> {
    const why = netnsUnavailable();
    if (why) return why;
    try {
      await run('tc', ['-V'], { timeout: 5_000 });
    } catch {
      return '`tc` is missing (Debian package iproute2: scripts/setup.sh installs it)';
    }
    return null;
  }

  static async create(): Promise<ConstrainedLink> {
    return new ConstrainedLink(BrowserNamespace.create());
  }

  /** An executable that starts Chromium inside the namespace (Playwright's pipe is not shaped). */
  chromiumInside(): string {
    return this.#ns.chromium;
  }

  /** Limits what reaches the browser: `rateKbit` through a token bucket, `lossPct` % of UDP dropped at random. */
  async limit({ rateKbit, lossPct, latencyMs = 200 }: Shape): Promise<void> {
    if (this.#shaped) await this.lift();
    this.#shaped = true;
    const dev = this.#ns.hostVeth;
    // A bucket of a few full packets (at least 20 ms of the rate).
    const burst = Math.max(6_000, Math.round((rateKbit * 1000) / 8 / 50));
    await sh('tc', ['qdisc', 'add', 'dev', dev, 'root', 'tbf', 'rate', `${rateKbit}kbit`, 'burst', String(burst), 'latency', `${latencyMs}ms`]);
    // The loss is on the far side, inside the browser's namespace, as the packets arrive: a drop in
    // the host's output hook answers the sender's sendmsg() with EPERM, and mediasoup sends a
    // datagram whose send failed once more (libuv's uv_udp_send after uv_udp_try_send): 3 % became
    // 0.1 % once the workers sent without io_uring. A real link loses packets without telling.
    const nsNft = (args: string[]) => sh('ip', ['netns', 'exec', this.#ns.name, 'nft', ...args]);
    await nsNft(['add', 'table', 'inet', this.#table]);
    await nsNft(['add', 'chain', 'inet', this.#table, 'in', '{ type filter hook prerouting priority 0 ; policy accept ; }']);
    await nsNft(['add', 'rule', 'inet', this.#table, 'in', 'iifname', this.#ns.nsVeth, 'meta', 'l4proto', 'udp', 'numgen', 'random', 'mod', '100', '<', String(lossPct), 'drop']);
  }

  /** The link as it was: no rate limit, no loss. */
  async lift(): Promise<void> {
    this.#shaped = false;
    await sh('tc', ['qdisc', 'del', 'dev', this.#ns.hostVeth, 'root']).catch(() => undefined);
    await sh('ip', ['netns', 'exec', this.#ns.name, 'nft', 'delete', 'table', 'inet', this.#table]).catch(() => undefined);
  }

  /** What tc says of the bucket (sent, dropped, overlimits), for the test's figures. */
  async qdiscStats(): Promise<string> {
    return (await sh('tc', ['-s', 'qdisc', 'show', 'dev', this.#ns.hostVeth]).catch(() => '')).trim();
  }

  /** The namespace's addresses and TCP connections, for a test's error (what the browser inside could reach). */
  async state(): Promise<string> {
    const addr = await sh('ip', ['-n', this.#ns.name, '-br', 'addr']).catch((e: Error) => e.message);
    const tcp = await sh('ip', ['netns', 'exec', this.#ns.name, 'ss', '-tn']).catch((e: Error) => e.message);
    return `${addr.trim()}\n${tcp.trim()}`;
  }

  /** Removes the shaping, then the namespace with its veth pair. Safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.lift();
    this.#ns.remove();
  }
}
