// A network namespace for one browser, made by the test: a veth pair on a private /30 (the host
// side holds .1, the namespace .2), Chromium started inside it with `ip netns exec` (Playwright
// drives it over a pipe, so cutting the namespace's network never cuts the test's control), and
// a silent cut with nftables: every packet on the namespace's veth dropped, no error, no FIN.
// Needs root (CAP_NET_ADMIN), iproute2 and nftables; `netnsUnavailable()` says why not.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CHROMIUM } from './browser.js';

/** Every command is bounded: a hung `ip` or `nft` fails the test instead of hanging it. */
const COMMAND_TIMEOUT_MS = 10_000;

function run(command: string, args: string[], input?: string): string {
  return execFileSync(command, args, { encoding: 'utf8', timeout: COMMAND_TIMEOUT_MS, stdio: ['pipe', 'pipe', 'pipe'], ...(input !== undefined && { input }) });
}

/** Why namespaces cannot be made here (not root, no CAP_NET_ADMIN, no ip/nft), or null when they can. */
export function netnsUnavailable(): string | null {
  if (process.platform !== 'linux') return 'network namespaces need Linux';
  const probe = `tcprobe${process.pid}`;
  try {
    run('nft', ['--version']);
  } catch {
    return 'nft (Debian package nftables) is missing: scripts/setup.sh --test installs it';
  }
  try {
    run('ip', ['netns', 'add', probe]);
  } catch (error) {
    return `cannot create a network namespace (needs root or CAP_NET_ADMIN): ${String((error as { stderr?: string }).stderr ?? error).trim()}`;
  }
  try {
    run('ip', ['netns', 'del', probe]);
  } catch {
    /* gone with the probe */
  }
  return null;
}

export class BrowserNamespace {
  readonly name: string;
  readonly hostVeth: string;
  readonly nsVeth: string;
  /** The host's address on the veth (the server is reached there from inside). */
  readonly hostAddress: string;
  readonly nsAddress: string;
  /** A script that runs Chromium inside the namespace (LaunchOptions.executablePath). */
  readonly chromium: string;
  readonly #dir: string;
  readonly #cut = new Set<'in' | 'out'>();
  static #made = 0;

  private constructor(tag: string, subnet: number) {
    this.name = `tc${tag}`;
    this.hostVeth = `tch${tag}`;
    this.nsVeth = `tcn${tag}`;
    // 10.213.x.(4k): a /30 of its own per namespace (x and k from the process id and a count).
    const base = (subnet % 64) * 4;
    const third = Math.floor(subnet / 64) % 250;
    this.hostAddress = `10.213.${third}.${base + 1}`;
    this.nsAddress = `10.213.${third}.${base + 2}`;
    this.#dir = mkdtempSync(path.join(os.tmpdir(), 'teleclass-netns-'));
    this.chromium = path.join(this.#dir, 'chromium-in-netns');
  }

  /** Makes the namespace, the veth pair and the launcher; on a failure halfway, undoes what it made. */
  static create(): BrowserNamespace {
    // Up to four namespaces a process (a test and a bench may each hold one), each its own /30.
    const n = BrowserNamespace.#made++ % 4;
    const tag = `${process.pid % 100_000}${n}`;
    const ns = new BrowserNamespace(tag, process.pid * 4 + n);
    ns.#removeLinks(); // left over by a run with the same process id that was killed before its clean-up
    try {
      run('ip', ['netns', 'add', ns.name]);
      run('ip', ['link', 'add', ns.hostVeth, 'type', 'veth', 'peer', 'name', ns.nsVeth]);
      // No IPv6 on the host's side (the pair is IPv4 only): its link-local address would appear a
      // second or two after the link comes up (duplicate address detection), and every Chromium on
      // the host — this test's trainer, launched meanwhile, included — takes that for a network
      // change and aborts its loads with ERR_NETWORK_CHANGED.
      run('ip', ['link', 'set', ns.hostVeth, 'addrgenmode', 'none']);
      // Nor on the namespace's side: the browser inside would see its link-local address appear the
      // same way, a network change of its own while it starts or loads.
      run('ip', ['link', 'set', ns.nsVeth, 'addrgenmode', 'none']);
      run('ip', ['link', 'set', ns.nsVeth, 'netns', ns.name]);
      run('ip', ['addr', 'add', `${ns.hostAddress}/30`, 'dev', ns.hostVeth]);
      run('ip', ['link', 'set', ns.hostVeth, 'up']);
      run('ip', ['-n', ns.name, 'addr', 'add', `${ns.nsAddress}/30`, 'dev', ns.nsVeth]);
      run('ip', ['-n', ns.name, 'link', 'set', ns.nsVeth, 'up']);
      run('ip', ['-n', ns.name, 'link', 'set', 'lo', 'up']);
      writeFileSync(ns.chromium, `#!/bin/sh\nexec ip netns exec ${ns.name} ${CHROMIUM} "$@"\n`);
      chmodSync(ns.chromium, 0o755);
    } catch (error) {
      ns.remove();
      throw error;
    }
    return ns;
  }

  /**
   * The silent cut: every packet in and out of the namespace's veth is dropped (nftables, inside
   * the namespace). `inbound` only: what the browser sends still goes out, nothing comes back.
   */
  cut(direction: 'both' | 'inbound' = 'both'): void {
    const rule = (d: 'in' | 'out') =>
      d === 'in'
        ? `table inet teleclass_cut_in {\n  chain in { type filter hook input priority 0; policy accept; iifname "${this.nsVeth}" drop; }\n}\n`
        : `table inet teleclass_cut_out {\n  chain out { type filter hook output priority 0; policy accept; oifname "${this.nsVeth}" drop; }\n}\n`;
    const wanted = direction === 'both' ? (['in', 'out'] as const) : (['in'] as const);
    const rules = wanted.filter((d) => !this.#cut.has(d)).map(rule).join('');
    if (rules) run('ip', ['netns', 'exec', this.name, 'nft', '-f', '-'], rules);
    for (const d of wanted) this.#cut.add(d);
  }

  /** The network comes back. */
  restore(): void {
    for (const d of [...this.#cut]) {
      run('ip', ['netns', 'exec', this.name, 'nft', 'delete', 'table', 'inet', `teleclass_cut_${d}`]);
      this.#cut.delete(d);
    }
  }

  /** Removes everything (idempotent; also after a failure): the rules, the namespace (with its veth end), the launcher. */
  remove(): void {
    try {
      this.restore();
    } catch {
      /* the namespace may be gone already */
    }
    this.#removeLinks();
    rmSync(this.#dir, { recursive: true, force: true });
  }

  #removeLinks(): void {
    for (const args of [['netns', 'del', this.name], ['link', 'del', this.hostVeth]]) {
      try {
        run('ip', args);
      } catch {
        /* not there (any more) */
      }
    }
  }
}
