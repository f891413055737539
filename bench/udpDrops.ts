// Where a lost packet was dropped: the kernel counts, per UDP socket, the datagrams it threw away
// because the socket's receive buffer was full (the last column of /proc/net/udp, `drops`). The
// knee run reads it before and after a window for the sockets it knows: the worker's studio input
// (the worker fell behind), the counters (the receivers fell behind) and the relay (the harness).
import { readFileSync } from 'node:fs';

/** Drops per local UDP port (IPv4 and IPv6 sockets), read now. */
export function udpDropsByPort(): Map<number, number> {
  const drops = new Map<number, number>();
  for (const file of ['/proc/net/udp', '/proc/net/udp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 13) continue;
      const port = parseInt(f[1]!.split(':')[1] ?? '', 16);
      const d = Number(f[f.length - 1]);
      if (Number.isFinite(port) && Number.isFinite(d)) drops.set(port, (drops.get(port) ?? 0) + d);
    }
  }
  return drops;
}

/** Drops on `ports` between two readings. */
export function dropsBetween(a: Map<number, number>, b: Map<number, number>, ports: readonly number[]): number {
  return ports.reduce((sum, p) => sum + Math.max(0, (b.get(p) ?? 0) - (a.get(p) ?? 0)), 0);
}

/** A pause of the relay longer than this means the harness was starved (ffmpeg sends every ~5 ms). */
export const RELAY_STALL_MS = 100;

/** The cause of a step's loss, from the kernel's drop counters. */
export function lossCause(
  lossPct: number,
  silentTracks: number,
  drops: { workerInput: number; receivers: number; relay: number },
  maxLossPct: number,
  failedJoins = 0,
  relayMaxGapMs = 0,
): string | null {
  if (lossPct <= maxLossPct && silentTracks === 0 && failedJoins === 0) return null;
  const parts: string[] = [];
  if (failedJoins > 0) parts.push(`${failedJoins} joins failed`);
  if (drops.workerInput > 0) {
    const burst = relayMaxGapMs > RELAY_STALL_MS ? `; the relay stalled ${Math.round(relayMaxGapMs)} ms (harness starved), so input came in bursts` : '';
    parts.push(`worker input: ${drops.workerInput} datagrams dropped at the worker's studio socket (the worker did not read in time${burst})`);
  }
  if (drops.receivers > 0) parts.push(`receivers: ${drops.receivers} dropped at the counters' sockets (the harness fell behind)`);
  if (drops.relay > 0) parts.push(`relay: ${drops.relay} dropped at the relay (the harness fell behind)`);
  if (silentTracks > 0) parts.push(`${silentTracks} consumers sent nothing`);
  if (parts.length === 0) parts.push('no socket dropped a datagram: lost inside the worker or on its sending side');
  return parts.join('; ');
}
