import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { STALE_MS } from './placement.js';
import type { NodeDirectory, NodeInfo, NodeLoad } from './ports.js';
import { withTimeout } from './redis.js';

/** A node writes its entry this often … */
export const HEARTBEAT_MS = 500;
/** … and the entry lives this long after the last write: a dead node is gone ≤ 2.5 s after it died. */
export const NODE_TTL_MS = 2_500;
/** A Redis call of the registry that takes longer than this counts as failed (Redis away). */
const CALL_TIMEOUT_MS = 1_000;
/** The most nodes a listing reads (a cluster is a handful of regional nodes). */
const MAX_NODES = 256;

export const nodeKey = (id: string) => `tc:node:${id}`;
/** The ids of the nodes that ever registered (score: last heartbeat); the per-node keys decide who is live. */
const NODES_SET = 'tc:nodes';
/** Every PUBLIC_URL origin a node of the cluster ever had: pages loaded from them may connect to any node (CORS). */
const ORIGINS_SET = 'tc:origins';
/** At most this many origins are trusted (a cluster is a handful of nodes; renamed ones add up slowly). */
const MAX_ORIGINS = 1024;

export interface RegistryOptions {
  self: Omit<NodeInfo, 'load' | 'seenAt' | 'draining'>;
  /** This node's load now (cheap, called on every heartbeat). */
  load: () => NodeLoad;
}

interface RegistryEvents {
  /** Every successful heartbeat (after it, claims are refreshed by the origin directory). */
  heartbeat: [];
  /** The set of live nodes or their draining/region/url changed (load changes do not count). */
  changed: [nodes: NodeInfo[]];
}

/**
 * The cluster's node registry on Redis (NodeDirectory): each node writes `tc:node:<id>` (its
 * NodeInfo as JSON) every HEARTBEAT_MS with a TTL of NODE_TTL_MS, so a node that dies (SIGKILL,
 * power cut) disappears by itself; one that stops cleanly deletes its entry. A restarted Redis
 * is repopulated by the next heartbeats. Listing reads the ids from a sorted set and the entries
 * with one MGET; ids whose entry expired long ago are pruned.
 */
export class RedisNodeRegistry extends EventEmitter<RegistryEvents> implements NodeDirectory {
  readonly #redis: Redis;
  readonly #options: RegistryOptions;
  readonly #log: Logger;
  #draining = false;
  #timer: ReturnType<typeof setInterval> | null = null;
  #writing = false;
  #listing = false;
  #lastSeen: NodeInfo[] = [];
  #lastShape = '';
  /** Whether the last heartbeat reached Redis. */
  #registered = false;

  constructor(redis: Redis, options: RegistryOptions, logger: Logger) {
    super();
    this.#redis = redis;
    this.#options = options;
    this.#log = logger.child({ component: 'cluster-registry' });
  }

  /** Writes the first entry (waits for Redis, bounded) and keeps it fresh. */
  async start(): Promise<void> {
    this.#timer = setInterval(() => {
      // Each on its own: a slow listing must not hold back the next write of the entry (its TTL
      // is only five heartbeats), and a write still waiting for Redis is not sent again.
      void this.#write();
      void this.#list();
    }, HEARTBEAT_MS);
    this.#timer.unref();
    await this.beat();
  }

  get registered(): boolean {
    return this.#registered;
  }

  get draining(): boolean {
    return this.#draining;
  }

  /** From now on new participants go elsewhere; the registry hears it at once. */
  async setDraining(): Promise<void> {
    this.#draining = true;
    await this.beat();
  }

  self(): NodeInfo {
    return { ...this.#options.self, draining: this.#draining, load: this.#options.load(), seenAt: Date.now() };
  }

  /** One heartbeat: the entry with a fresh TTL, then the list of live nodes (for `changed`). */
  async beat(): Promise<void> {
    await this.#write();
    await this.#list();
  }

  /** The entry with a fresh TTL (skipped while the previous write still waits for Redis). */
  async #write(): Promise<void> {
    if (this.#writing) return;
    this.#writing = true;
    try {
      const me = this.self();
      await withTimeout(
        this.#redis
          .multi()
          .set(nodeKey(me.id), JSON.stringify(me), 'PX', NODE_TTL_MS)
          .zadd(NODES_SET, me.seenAt, me.id)
          .sadd(ORIGINS_SET, new URL(me.publicUrl).origin)
          .exec(),
        CALL_TIMEOUT_MS,
        'heartbeat',
      );
      if (!this.#registered) this.#log.info({ nodeId: me.id }, 'registered in the cluster');
      this.#registered = true;
      this.emit('heartbeat');
    } catch (error) {
      if (this.#registered) this.#log.warn({ err: (error as Error).message }, 'heartbeat failed; the cluster may see this node as gone');
      this.#registered = false;
    } finally {
      this.#writing = false;
    }
  }

  /** The live nodes read again, for `changed` (skipped while the previous read is under way; a failed read waits for the next). */
  async #list(): Promise<void> {
    if (this.#listing) return;
    this.#listing = true;
    try {
      this.#noticeChanges(await this.list());
    } catch {
      // Redis away or slow: the heartbeat's write (#write) logs it; the last list stands until the next read.
    } finally {
      this.#listing = false;
    }
  }

  /** The live nodes (this one included while Redis answers), ordered by id. */
  async list(): Promise<NodeInfo[]> {
    const ids = await withTimeout(this.#redis.zrange(NODES_SET, '0', String(MAX_NODES - 1)), CALL_TIMEOUT_MS, 'node list');
    if (ids.length === 0) return [];
    const entries = await withTimeout(this.#redis.mget(ids.map(nodeKey)), CALL_TIMEOUT_MS, 'node entries');
    const nodes: NodeInfo[] = [];
    const gone: string[] = [];
    const now = Date.now();
    ids.forEach((id, i) => {
      const node = parseNode(entries[i] ?? null);
      if (node) nodes.push(node);
      else gone.push(id);
    });
    // Ids whose entry expired a while ago leave the set (a restarted node writes itself back).
    if (gone.length > 0) void this.#redis.zremrangebyscore(NODES_SET, '-inf', String(now - 60_000)).catch(() => undefined);
    return nodes.sort((a, b) => a.id.localeCompare(b.id));
  }

  /** The origins of every node the cluster ever had (a page loaded from a node that died since may move to any other). */
  async origins(): Promise<string[]> {
    const all = await withTimeout(this.#redis.srandmember(ORIGINS_SET, MAX_ORIGINS), CALL_TIMEOUT_MS, 'cluster origins');
    return all;
  }

  /** The last list a heartbeat read (no Redis call): for pushes and placement that must not wait. */
  get known(): NodeInfo[] {
    return this.#lastSeen;
  }

  async get(nodeId: string): Promise<NodeInfo | null> {
    const entry = await withTimeout(this.#redis.get(nodeKey(nodeId)), CALL_TIMEOUT_MS, 'node entry');
    return parseNode(entry);
  }

  /** Stops the heartbeat and removes the entry (a clean stop; a killed node expires instead). */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await withTimeout(this.#redis.del(nodeKey(this.#options.self.id)), CALL_TIMEOUT_MS, 'deregister').catch(() => undefined);
  }

  #noticeChanges(nodes: NodeInfo[]): void {
    this.#lastSeen = nodes;
    const now = Date.now();
    // A node going silent (probably dead, not expired yet) counts as a change: pages hear it at once.
    const shape = JSON.stringify(nodes.map((n) => [n.id, n.region, n.publicUrl, n.draining, n.load.full, now - n.seenAt > STALE_MS]));
    if (shape === this.#lastShape) return;
    this.#lastShape = shape;
    this.emit('changed', nodes);
  }
}

function parseNode(entry: string | null): NodeInfo | null {
  if (!entry) return null;
  try {
    const node = JSON.parse(entry) as NodeInfo;
    return typeof node.id === 'string' && typeof node.publicUrl === 'string' ? node : null;
  } catch {
    return null;
  }
}
