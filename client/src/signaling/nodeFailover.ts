/**
 * Cluster mode, in the page (README: Cluster): which node's socket.io the page talks to.
 *
 * - The server pushes the cluster's live nodes (`cluster`) on connection and on every change.
 * - `moveTo` (the node is full or draining): the page reconnects to the node named, at once.
 * - The node stops answering (killed, cut off): the first try to reach it again fails, and the next
 *   try goes to the next node — same region as the node that served the page first, least loaded
 *   first, busy (full, draining) nodes last — and so on round the list.
 *
 * The token stays the same (every node of a cluster accepts it); SignalingClient keeps doing the
 * retrying (reconnectPolicy.ts) and the session joins again on the new connection, as after any
 * reconnect. Without a cluster no `cluster` push ever comes and nothing here acts.
 */
import type { Socket } from 'socket.io-client';
import type { ClusterNode, NotificationOf } from '@teleclass/shared';
import { pageHttp } from './httpFailover.js';

/**
 * socket.io-client's Manager builds each new connection from its `uri` (Manager#open: `new
 * Engine(this.uri, this.opts)`), so pointing it elsewhere moves the next connection there with
 * the same socket, listeners and auth.
 */
function pointAt(socket: Socket, url: string): void {
  (socket.io as unknown as { uri: string }).uri = url;
}

const currentUri = (socket: Socket): string => (socket.io as unknown as { uri: string }).uri;

const sameOrigin = (a: string, b: string): boolean => {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
};

/** The nodes to try after `failed`, best first (server/src/cluster/placement.ts: failoverOrder). */
export function failoverCandidates(nodes: readonly ClusterNode[], region: string | null, failed: ReadonlySet<string>): ClusterNode[] {
  const rank = (n: ClusterNode) => (n.busy ? 2 : 0) + (region !== null && n.region === region ? 0 : 1);
  return nodes.filter((n) => !failed.has(n.id)).sort((a, b) => rank(a) - rank(b));
}

export class NodeFailover {
  readonly #socket: Socket;
  #nodes: ClusterNode[] = [];
  /** The node serving the page now (from the last `cluster` push), and the region it started in. */
  #self: string | null = null;
  #region: string | null = null;
  /** Nodes that did not answer since the page was last connected. */
  readonly #failed = new Set<string>();
  #moving = false;

  constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('cluster', (data: NotificationOf<'cluster'>) => this.#learn(data));
    socket.on('moveTo', (data: NotificationOf<'moveTo'>) => this.#move(data.url));
    socket.on('connect', () => {
      this.#failed.clear();
      this.#moving = false;
    });
    socket.on('disconnect', (reason) => {
      // Sent away by the server (placement): go to the new node now, not after the kick's back-off.
      if (this.#moving && reason === 'io server disconnect') socket.connect();
    });
    socket.on('connect_error', (error: Error & { data?: unknown }) => {
      if (error.data === undefined) this.#next(); // nobody answered (a refusal carries data and stays final)
    });
  }

  /** The id of the node serving the page (null outside a cluster). */
  get node(): string | null {
    return this.#self;
  }

  #learn({ self, nodes }: NotificationOf<'cluster'>): void {
    if (!Array.isArray(nodes)) return;
    this.#nodes = nodes.slice(0, 256);
    this.#self = self;
    pageHttp.learn(this.#nodes); // the page's HTTP calls fail over to the same nodes
    this.#region ??= nodes.find((n) => n.id === self)?.region ?? null;
    // Shown for support staff and tests ("which node is this classroom on?").
    if (typeof document !== 'undefined') document.documentElement.dataset['node'] = self;
  }

  #move(url: string): void {
    if (typeof url !== 'string' || !/^https?:\/\//.test(url)) return;
    this.#moving = true;
    pointAt(this.#socket, url);
    // Our side closes the connection: SignalingClient's reconnect (at once) goes to the new node.
    if (this.#socket.connected) this.#socket.io.engine?.close();
  }

  /** The node tried last did not answer: point the next try at the next node. */
  #next(): void {
    if (this.#nodes.length < 2) return;
    const uri = currentUri(this.#socket);
    const current = this.#nodes.find((n) => sameOrigin(n.url, uri));
    if (current) this.#failed.add(current.id);
    let candidates = failoverCandidates(this.#nodes, this.#region, this.#failed);
    if (candidates.length === 0) {
      // Every node failed once: start the round again (a node may be back).
      this.#failed.clear();
      if (current) this.#failed.add(current.id);
      candidates = failoverCandidates(this.#nodes, this.#region, this.#failed);
    }
    const next = candidates[0];
    if (next) pointAt(this.#socket, next.url);
  }
}
