// A constrained link made for one test: a network namespace joined to the host by a veth pair on a
// private /30, a browser run inside it (`ip netns exec`), and on the host side of the pair — the
// path TO that browser — a token-bucket rate limit (`tc … tbf`) and random loss (an nftables
// `numgen random` rule; this kernel has no netem). It shapes WebRTC's UDP, not only HTTP.
// Everything is removed by `close()`, also after a failure; `ConstrainedLink.unavailable()` says
// why none can be made here (not root, no `ip`/`tc`/`nft`), for the test to say so.
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { CHROMIUM } from './browser.js';

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
  readonly #dir: string;
  #shaped = false;
  #closed = false;

  private constructor(
    readonly ns: string,
    readonly hostDev: string,
    readonly hostIp: string,
    readonly nsIp: string,
    readonly table: string,
  ) {
    this.#dir = mkdtempSync(path.join(os.tmpdir(), 'teleclass-netns-'));
  }

  /** Why no namespace can be made on this machine (null: it can). */
  static async unavailable(): Promise<string | null> {
    if (process.getuid?.() !== 0) return 'not root: network namespaces, tc and nftables need root (CAP_NET_ADMIN)';
    for (const [cmd, args] of [['ip', ['-V']], ['tc', ['-V']], ['nft', ['--version']]] as const) {
      try {
        await run(cmd, [...args], { timeout: 5_000 });
      } catch {
        return `\`${cmd}\` is missing (iproute2, nftables: scripts/setup.sh --test installs them)`;
      }
    }
    return null;
  }

  /** A namespace and a veth pair with fresh names and a /30 of 10.213.0.0/16 no other test uses now. */
  static async create(): Promise<ConstrainedLink> {
    const tag = `${process.pid % 10_000}${Math.floor(Math.random() * 36 ** 2).toString(36)}`;
    const third = (process.pid + Math.floor(Math.random() * 64)) % 64;
    const fourth = Math.floor(Math.random() * 64) * 4;
    const link = new ConstrainedLink(`tcwl-${tag}`, `tcwl${tag}h`.slice(0, 15), `10.213.${third}.${fourth + 1}`, `10.213.${third}.${fourth + 2}`, `teleclass_wl_${tag}`);
    try {
      await link.#up(`tcwl${tag}n`.slice(0, 15));
    } catch (error) {
      await link.close();
      throw error;
    }
    return link;
  }

  async #up(nsDev: string): Promise<void> {
    const inNs = (...args: string[]) => sh('ip', ['netns', 'exec', this.ns, ...args]);
    await sh('ip', ['netns', 'add', this.ns]);
    await sh('ip', ['link', 'add', this.hostDev, 'type', 'veth', 'peer', 'name', nsDev]);
    await sh('ip', ['link', 'set', nsDev, 'netns', this.ns]);
    await sh('ip', ['addr', 'add', `${this.hostIp}/30`, 'dev', this.hostDev]);
    await sh('ip', ['link', 'set', this.hostDev, 'up']);
    await inNs('ip', 'addr', 'add', `${this.nsIp}/30`, 'dev', nsDev);
    await inNs('ip', 'link', 'set', nsDev, 'up');
    await inNs('ip', 'link', 'set', 'lo', 'up');
  }

  /**
   * An executable that starts Chromium inside the namespace with the arguments it is given
   * (Playwright's pipe to the browser is inherited, so driving it is not shaped).
   */
  chromiumInside(): string {
    const file = path.join(this.#dir, 'chromium-in-netns.sh');
    writeFileSync(file, `#!/bin/sh\nexec ip netns exec ${this.ns} ${CHROMIUM} "$@"\n`);
    chmodSync(file, 0o755);
    return file;
  }

  /** Limits what reaches the browser: `rateKbit` through a token bucket, `lossPct` % of UDP dropped at random. */
  async limit({ rateKbit, lossPct, latencyMs = 200 }: Shape): Promise<void> {
    if (this.#shaped) await this.lift();
    this.#shaped = true;
    // A bucket of a few full packets (at least 20 ms of the rate).
    const burst = Math.max(6_000, Math.round((rateKbit * 1000) / 8 / 50));
    await sh('tc', ['qdisc', 'add', 'dev', this.hostDev, 'root', 'tbf', 'rate', `${rateKbit}kbit`, 'burst', String(burst), 'latency', `${latencyMs}ms`]);
    await sh('nft', ['add', 'table', 'inet', this.table]);
    await sh('nft', ['add', 'chain', 'inet', this.table, 'out', '{ type filter hook output priority 0 ; policy accept ; }']);
    await sh('nft', ['add', 'rule', 'inet', this.table, 'out', 'oifname', this.hostDev, 'meta', 'l4proto', 'udp', 'numgen', 'random', 'mod', '100', '<', String(lossPct), 'drop']);
  }

  /** The link as it was: no rate limit, no loss. */
  async lift(): Promise<void> {
    this.#shaped = false;
    await sh('tc', ['qdisc', 'del', 'dev', this.hostDev, 'root']).catch(() => undefined);
    await sh('nft', ['delete', 'table', 'inet', this.table]).catch(() => undefined);
  }

  /** What tc says of the bucket (sent, dropped, overlimits), for the test's figures. */
  async qdiscStats(): Promise<string> {
    return (await sh('tc', ['-s', 'qdisc', 'show', 'dev', this.hostDev]).catch(() => '')).trim();
  }

  /** Removes the shaping, the veth pair (both ends) and the namespace. Safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.lift();
    await sh('ip', ['link', 'del', this.hostDev]).catch(() => undefined);
    await sh('ip', ['netns', 'del', this.ns]).catch(() => undefined);
    rmSync(this.#dir, { recursive: true, force: true });
  }
}
