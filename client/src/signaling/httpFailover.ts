/**
 * Cluster mode, in the page: the HTTP calls a page makes to its node (a kiosk's idle poll and its
 * pre-flight report) fail over like its socket does (nodeFailover.ts). An unattended classroom
 * kiosk whose node died between lectures still finds its next lecture:
 *
 * - the page learns the cluster's live nodes from `/healthz` (when it starts, then at most every
 *   REFRESH_MS after a call that worked) and from its socket's `cluster` push;
 * - a call that gets no answer (network error) or 502/503/504 is tried on the next node — same
 *   region as the page's own node, least busy first (failoverCandidates) — at most MAX_TRIES nodes
 *   per call; the node that answered serves the next calls;
 * - while on another node, the page's own node is tried first again every HOME_RETRY_MS, and
 *   serves the calls again once it answers.
 *
 * Every node of a cluster accepts the kiosk's token and answers its API cross-origin for the
 * cluster's own origins (server/src/http/clusterCors.ts). Without a cluster the node list stays
 * empty and every call goes to the page's own node, as before.
 */
import type { ClusterNode } from '@teleclass/shared';
import { failoverCandidates } from './nodeFailover.js';

export const MAX_TRIES = 4;
export const HOME_RETRY_MS = 30_000;
export const REFRESH_MS = 60_000;

type Fetch = (url: string, init?: RequestInit) => Promise<Response>;

const originOf = (url: string): string | null => {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
};

/** What GET /healthz says of the cluster (server/src/cluster/redisCluster.ts: ClusterHealth). */
interface HealthCluster {
  nodeId?: unknown;
  nodes?: { id?: unknown; region?: unknown; publicUrl?: unknown; draining?: unknown }[];
}

export class HttpFailover {
  readonly #home: string;
  readonly #fetch: Fetch;
  readonly #now: () => number;
  #nodes: ClusterNode[] = [];
  #region: string | null = null;
  /** The origin serving the calls now ('' = the page's own, relative URLs). */
  #current: string;
  #homeTriedAt = 0;
  #refreshedAt = -Infinity;

  constructor(options: { home: string; fetch?: Fetch; now?: () => number }) {
    this.#home = originOf(options.home) ?? options.home;
    this.#current = this.#home;
    this.#fetch = options.fetch ?? ((url, init) => fetch(url, init));
    this.#now = options.now ?? (() => Date.now());
  }

  /** The origin the calls go to now (tests, diagnostics). */
  get current(): string {
    return this.#current;
  }

  /** The cluster's live nodes (the socket's `cluster` push, or /healthz); kept bounded. */
  learn(nodes: readonly ClusterNode[]): void {
    const valid = nodes.filter((n) => typeof n.id === 'string' && originOf(n.url) !== null).slice(0, 256);
    if (valid.length === 0) return;
    this.#nodes = valid;
    this.#region ??= valid.find((n) => originOf(n.url) === this.#home)?.region ?? null;
  }

  /** Asks the node serving the calls for the cluster's nodes (a page without a socket: a kiosk between lectures). */
  async refresh(): Promise<void> {
    this.#refreshedAt = this.#now();
    try {
      const res = await this.#fetch(`${this.#current}/healthz`, { cache: 'no-store' });
      const body = (await res.json()) as { cluster?: HealthCluster };
      const nodes = body.cluster?.nodes;
      if (!Array.isArray(nodes)) return;
      this.learn(
        nodes.map((n) => ({
          id: String(n.id),
          region: typeof n.region === 'string' ? n.region : null,
          url: String(n.publicUrl),
          busy: n.draining === true,
        })),
      );
    } catch {
      // Not a cluster, or that node went: the list stays as it was.
    }
  }

  /** `path` (starting with /) on the node serving the calls, failing over as above. */
  async fetch(path: string, init: RequestInit): Promise<Response> {
    const bases = this.#order();
    let lastError: unknown = new Error('no node to call');
    let lastAnswer: Response | undefined;
    for (const base of bases) {
      try {
        const res = await this.#fetch(`${base}${path}`, init);
        if (res.status === 502 || res.status === 503 || res.status === 504) {
          lastAnswer = res;
          continue;
        }
        this.#current = base;
        if (this.#nodes.length > 0 && this.#now() - this.#refreshedAt >= REFRESH_MS) void this.refresh();
        return res;
      } catch (error) {
        lastError = error;
      }
    }
    if (lastAnswer) return lastAnswer;
    throw lastError;
  }

  /** The origins to try for one call, at most MAX_TRIES: home first when due, then the current one, then the next nodes. */
  #order(): string[] {
    const order: string[] = [];
    const add = (origin: string | null) => {
      if (origin !== null && !order.includes(origin)) order.push(origin);
    };
    if (this.#current !== this.#home && this.#now() - this.#homeTriedAt >= HOME_RETRY_MS) {
      this.#homeTriedAt = this.#now();
      add(this.#home);
    }
    add(this.#current);
    const tried = new Set(this.#nodes.filter((n) => order.includes(originOf(n.url)!)).map((n) => n.id));
    for (const n of failoverCandidates(this.#nodes, this.#region, tried)) add(originOf(n.url));
    if (this.#current !== this.#home && order.length < MAX_TRIES) add(this.#home);
    return order.slice(0, MAX_TRIES);
  }
}

/** The page's own (one per page): the kiosk's API calls go through it. */
export const pageHttp = new HttpFailover({ home: typeof location !== 'undefined' ? location.origin : 'http://localhost' });
