import type { NodeInfo } from './ports.js';

/** How loaded a node is, for "least loaded": participants first, then consumers, then bitrate. */
function loadOrder(a: NodeInfo, b: NodeInfo): number {
  return a.load.participants - b.load.participants || a.load.consumers - b.load.consumers || a.load.bitrate - b.load.bitrate || a.id.localeCompare(b.id);
}

/** A node that takes newcomers: not draining, not full. */
export const open = (node: NodeInfo): boolean => !node.draining && !node.load.full;

/**
 * Where a participant goes (README: Cluster, placement): the node whose URL they opened, unless
 * it is full or draining; then the least-loaded open node of the participant's region, else the
 * least-loaded open node anywhere. Null: stay (no other node can take them either).
 */
export function placeParticipant(self: NodeInfo, nodes: readonly NodeInfo[], region: string | null): NodeInfo | null {
  if (open(self)) return null;
  const others = nodes.filter((n) => n.id !== self.id && open(n)).sort(loadOrder);
  return (region !== null ? others.find((n) => n.region === region) : undefined) ?? others[0] ?? null;
}

/**
 * The nodes a page falls back on when its node stops answering, best first: the same region as
 * `region` (least loaded first), then the others; draining and full nodes last (better than none).
 */
export function failoverOrder(nodes: readonly NodeInfo[], region: string | null, exceptId: string): NodeInfo[] {
  const rank = (n: NodeInfo) => (open(n) ? 0 : 2) + (region !== null && n.region === region ? 0 : 1);
  return nodes.filter((n) => n.id !== exceptId).sort((a, b) => rank(a) - rank(b) || loadOrder(a, b));
}
