import type { NodeInfo } from './ports.js';

/** How loaded a node is, for "least loaded": participants first, then consumers, then bitrate. */
function loadOrder(a: NodeInfo, b: NodeInfo): number {
  return a.load.participants - b.load.participants || a.load.consumers - b.load.consumers || a.load.bitrate - b.load.bitrate || a.id.localeCompare(b.id);
}

/** A node that takes newcomers: not draining, not full. */
export const open = (node: NodeInfo): boolean => !node.draining && !node.load.full;

/**
 * An entry not rewritten for this long (two heartbeats missed) belongs to a node that is probably
 * dead but whose entry has not expired yet (2.5 s): it comes last. (seenAt is the writer's clock;
 * nodes keep theirs by NTP, a skew far below this.)
 */
export const STALE_MS = 1_000;
const stale = (node: NodeInfo, now: number): boolean => now - node.seenAt > STALE_MS;

/**
 * Where a participant goes (README: Cluster, placement): the node whose URL they opened, unless
 * it is full or draining; then the least-loaded open node of the participant's region, else the
 * least-loaded open node anywhere. Null: stay (no other node can take them either).
 */
export function placeParticipant(self: NodeInfo, nodes: readonly NodeInfo[], region: string | null, now = Date.now()): NodeInfo | null {
  if (open(self)) return null;
  const others = nodes.filter((n) => n.id !== self.id && open(n)).sort(loadOrder);
  const pick = (list: NodeInfo[]) => (region !== null ? list.find((n) => n.region === region) : undefined) ?? list[0];
  return pick(others.filter((n) => !stale(n, now))) ?? pick(others) ?? null;
}

/**
 * The nodes a page falls back on when its node stops answering, best first: the same region as
 * `region` (least loaded first), then the others; draining and full nodes last (better than none).
 */
export function failoverOrder(nodes: readonly NodeInfo[], region: string | null, exceptId: string, now = Date.now()): NodeInfo[] {
  const rank = (n: NodeInfo) => (open(n) && !stale(n, now) ? 0 : 2) + (region !== null && n.region === region ? 0 : 1);
  return nodes.filter((n) => n.id !== exceptId).sort((a, b) => rank(a) - rank(b) || loadOrder(a, b));
}
