import type { IncomingMessage } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import type { Redis } from 'ioredis';
import type { Server, ServerOptions, Socket } from 'socket.io';
import type { ClusterNode } from '@teleclass/shared';
import type { JoinClaims } from '../auth/tokens.js';
import type { Config } from '../config.js';
import type { LectureRegistry } from '../lecture/LectureRegistry.js';
import type { Logger } from '../logger.js';
import type { WorkerPool } from '../media/WorkerPool.js';
import type { Store } from '../store/Store.js';
import { ClusterBus } from './bus.js';
import { DeadNodeSweeper } from './deadNodes.js';
import { RedisOriginDirectory } from './origin.js';
import { open, placeParticipant, STALE_MS } from './placement.js';
import type { NodeInfo } from './ports.js';
import { closeRedis, connectRedis, withTimeout } from './redis.js';
import { RedisNodeRegistry } from './registry.js';
import { LoadSampler } from './registryLoad.js';

/** How long a starting node waits for Redis before it gives up (systemd starts it again). */
const START_TIMEOUT_MS = 10_000;
const ORIGINS_REFRESH_MS = 5_000;

export interface ClusterDeps {
  config: Config;
  logger: Logger;
  pool: WorkerPool;
  lectures: LectureRegistry;
  store: Store;
  /** The cluster's shared secret (JWT_SECRET): signs the messages between nodes. */
  secret: string;
}

/** What GET /healthz adds in cluster mode. */
export interface ClusterHealth {
  nodeId: string;
  region: string | null;
  redis: 'up' | 'down';
  nodes: NodeInfo[];
}

/** A node as a page sees it (the `cluster` push). */
export const pageNode = (n: NodeInfo, now = Date.now()): ClusterNode => ({ id: n.id, region: n.region, url: n.publicUrl, busy: !open(n) || now - n.seenAt > STALE_MS });

/**
 * Cluster mode (REDIS_URL set): this node's entry in the registry, the origin directory, the bus
 * between nodes, the socket.io Redis adapter (io.to(room).emit reaches the sockets of every node)
 * and placement of the sockets that connect here. Four Redis connections: commands, the adapter's
 * publish and subscribe, the bus's subscribe.
 */
export class RedisCluster {
  readonly nodes: RedisNodeRegistry;
  readonly origins: RedisOriginDirectory;
  readonly bus: ClusterBus;
  /** Closes the sessions and recordings of nodes that died and stay dead (DEAD_NODE_SECONDS). */
  readonly deadNodes: DeadNodeSweeper;
  readonly #config: Config;
  readonly #deps: ClusterDeps;
  readonly #log: Logger;
  readonly #load: LoadSampler;
  readonly #clients: Redis[];
  readonly #adapterClients: [Redis, Redis];
  /** Origins of the cluster's pages (every node's PUBLIC_URL, also of nodes gone since), refreshed every few seconds. */
  #origins = new Set<string>();
  #originsTimer: ReturnType<typeof setInterval> | null = null;

  private constructor(deps: ClusterDeps) {
    const { config, logger } = deps;
    const url = config.REDIS_URL!;
    const nodeId = config.NODE_ID!;
    this.#config = config;
    this.#deps = deps;
    this.#log = logger.child({ component: 'cluster', nodeId });
    // Commands fail at once while Redis is away (heartbeats, claims, healthz do not pile up);
    // the adapter's connections queue instead (it publishes without awaiting).
    const commands = connectRedis(url, logger, `teleclass:${nodeId}:cmd`, { enableOfflineQueue: false });
    const busSub = connectRedis(url, logger, `teleclass:${nodeId}:bus`);
    this.#adapterClients = [connectRedis(url, logger, `teleclass:${nodeId}:io-pub`), connectRedis(url, logger, `teleclass:${nodeId}:io-sub`)];
    this.#clients = [commands, busSub, ...this.#adapterClients];
    this.#load = new LoadSampler(deps.pool, deps.lectures, config.NODE_MAX_PARTICIPANTS ?? config.MAX_PARTICIPANTS);
    this.nodes = new RedisNodeRegistry(
      commands,
      {
        self: { id: nodeId, region: config.NODE_REGION ?? null, publicUrl: config.PUBLIC_URL!, internalUrl: config.INTERNAL_URL ?? config.PUBLIC_URL! },
        load: this.#load.load,
      },
      logger,
    );
    this.origins = new RedisOriginDirectory(commands, this.nodes, logger);
    this.bus = new ClusterBus(commands, busSub, nodeId, deps.secret, logger);
    this.deadNodes = new DeadNodeSweeper({
      store: deps.store,
      nodes: this.nodes,
      deadAfterMs: config.DEAD_NODE_SECONDS * 1000,
      heartbeatMs: config.ATTENDANCE_HEARTBEAT_SECONDS * 1000,
      logger,
    });
  }

  /** Connects to Redis (bounded), registers this node and subscribes its inbox. */
  static async start(deps: ClusterDeps): Promise<RedisCluster> {
    const cluster = new RedisCluster(deps);
    try {
      await withTimeout(Promise.all(cluster.#clients.map((c) => (c.status === 'ready' ? undefined : new Promise((resolve) => c.once('ready', resolve))))), START_TIMEOUT_MS, 'connecting to Redis (REDIS_URL)');
      const taken = await cluster.nodes.get(deps.config.NODE_ID!);
      if (taken && taken.publicUrl !== deps.config.PUBLIC_URL) {
        throw new Error(`NODE_ID ${taken.id} is in use by the live node at ${taken.publicUrl}; give each node its own NODE_ID`);
      }
      await cluster.bus.start();
      await cluster.nodes.start();
      cluster.deadNodes.start();
      cluster.#load.start();
      await cluster.#refreshOrigins();
      cluster.#originsTimer = setInterval(() => void cluster.#refreshOrigins(), ORIGINS_REFRESH_MS);
      cluster.#originsTimer.unref();
      cluster.#log.info({ region: deps.config.NODE_REGION ?? null, publicUrl: deps.config.PUBLIC_URL }, 'cluster mode: this node is registered');
      return cluster;
    } catch (error) {
      await cluster.close();
      throw error;
    }
  }

  /** socket.io options in cluster mode: the Redis adapter; CORS and WebSocket origins: the cluster's own pages only. */
  ioOptions(): Partial<ServerOptions> {
    const [pub, sub] = this.#adapterClients;
    return {
      adapter: createAdapter(pub, sub, { key: 'tc:io', requestsTimeout: 3_000 }),
      cors: { origin: (origin, callback) => callback(null, origin === undefined || this.#allowedOrigin(origin)), credentials: false },
      allowRequest: (req: IncomingMessage, callback) => {
        const origin = req.headers.origin;
        callback(null, origin === undefined || this.#allowedOrigin(origin) || sameHost(origin, req.headers.host));
      },
    };
  }

  /**
   * Placement and the node list for every socket that connects here: a participant this node
   * should not serve (full, draining) is told where to go (`moveTo`) and let go; the others get
   * the cluster's nodes (`cluster`), again whenever they change.
   */
  attach(io: Server): void {
    const push = (nodes: NodeInfo[]) => io.local.emit('cluster', { self: this.nodes.self().id, nodes: nodes.map((n) => pageNode(n)) });
    this.nodes.on('changed', push);
    // Decided in the handshake (the site's region may need the store, which may answer later) …
    io.use((socket, next) => {
      const claims = socket.data.claims as JoinClaims | undefined;
      const self = this.nodes.self();
      if (claims?.role === 'trainer' && !self.draining) return next(); // one trainer never makes a node full
      if (!self.draining && !self.load.full) return next();
      this.regionOf(claims).then(
        (region) => {
          const target = placeParticipant(this.nodes.self(), this.nodes.known, region);
          if (target) socket.data.moveTo = { target, reason: self.draining ? 'draining' : 'full' };
          next();
        },
        () => next(),
      );
    });
    // … and acted on when the socket is connected, before any request of it is read.
    io.on('connection', (socket) => {
      const move = socket.data.moveTo as { target: NodeInfo; reason: 'full' | 'draining' } | undefined;
      if (move) {
        this.moveSocket(socket, move.target, move.reason);
        return;
      }
      socket.emit('cluster', { self: this.nodes.self().id, nodes: this.nodes.known.map((n) => pageNode(n)) });
    });
  }

  /** Tells `socket` to reconnect to `target` and lets it go (at once for a newcomer, after a grace otherwise). */
  moveSocket(socket: Socket, target: NodeInfo, reason: 'full' | 'draining', graceMs = 0): void {
    socket.emit('moveTo', { url: target.publicUrl, nodeId: target.id, reason });
    if (graceMs === 0) {
      socket.disconnect(true);
      return;
    }
    const timer = setTimeout(() => socket.disconnect(true), graceMs);
    timer.unref();
    socket.once('disconnect', () => clearTimeout(timer));
  }

  /** The region a participant belongs to: its site's (kiosk, classroom link) or this node's. */
  async regionOf(claims: JoinClaims | undefined): Promise<string | null> {
    const own = this.#config.NODE_REGION ?? null;
    if (claims?.role !== 'site') return own;
    const { store } = this.#deps;
    // `await`: the same code whether the store answers at once (SQLite) or later (PostgreSQL).
    const site = claims.kiosk ? await store.getSite(claims.kiosk.siteId) : (await store.listSites()).find((s) => s.name === claims.site);
    return site?.region ?? own;
  }

  /** Whether `origin` is a node of this cluster (its pages may call this node: socket.io, the kiosk's API). */
  allowsOrigin(origin: string): boolean {
    return this.#allowedOrigin(origin);
  }

  #allowedOrigin(origin: string): boolean {
    if (this.#origins.has(origin)) return true;
    const urls = [this.#config.PUBLIC_URL!, ...this.nodes.known.map((n) => n.publicUrl)];
    return urls.some((u) => originOf(u) === origin);
  }

  async #refreshOrigins(): Promise<void> {
    const origins = await this.nodes.origins().catch(() => null);
    if (origins) this.#origins = new Set(origins);
  }

  async health(): Promise<ClusterHealth> {
    const self = this.nodes.self();
    const nodes = await this.nodes.list().catch(() => null);
    return { nodeId: self.id, region: self.region, redis: nodes ? 'up' : 'down', nodes: nodes ?? [self] };
  }

  get participants(): number {
    return this.#load.participants;
  }

  /** Leaves the cluster: entry deleted, origins released, connections closed (bounded). */
  async close(): Promise<void> {
    await this.deadNodes.stop();
    this.#load.stop();
    if (this.#originsTimer) clearInterval(this.#originsTimer);
    this.bus.close();
    await Promise.all([...this.origins.held].map((id) => this.origins.release(id)));
    await this.nodes.stop();
    await Promise.all(this.#clients.map(closeRedis));
  }
}

const originOf = (url: string): string | null => {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
};

/** A page of this very host (its URL as the browser typed it, e.g. a node reached by IP). */
function sameHost(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}
