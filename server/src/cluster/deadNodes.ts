/**
 * A node of a cluster that dies and is not started again (SIGKILL, power cut, host gone) cannot
 * close its own attendance sessions and recordings: a node does that on its restart. So every
 * surviving node looks, every SWEEP_EVERY_MS, for nodes that are dead by both words the cluster
 * has — gone from the Redis registry (their entry expired) AND their alive mark in the shared
 * store older than DEAD_NODE_SECONDS — and runs the dead node's own crash clean-up for it
 * (Store.closeDeadNode: sessions closed at its last alive mark, reason 'node-lost'; its running
 * recordings 'interrupted'). Every survivor may do it, at the same moment too: the clean-up is one
 * conditional UPDATE per table, so the second finds nothing left to close. A node that was only
 * cut off and comes back keeps its people's sessions: its next heartbeat re-opens them
 * (Store.touchAttendance).
 */
import type { Logger } from '../logger.js';
import type { Store } from '../store/Store.js';
import type { NodeDirectory } from './ports.js';

/** How often a node looks for dead ones (one small query; a dead node's sessions end at its last alive mark anyway). */
export const SWEEP_EVERY_MS = 2_000;

export interface DeadNodeSweeperOptions {
  store: Pick<Store, 'staleNodes' | 'closeDeadNode'>;
  /** The registry: `get` answers null for a node whose entry expired; `registered`: this node reaches Redis. */
  nodes: Pick<NodeDirectory, 'get'> & { readonly registered: boolean };
  /** A node whose alive mark is older than this (and that is gone from the registry) is dead (DEAD_NODE_SECONDS). */
  deadAfterMs: number;
  /** ATTENDANCE_HEARTBEAT_SECONDS in ms: the cap closeOpenAttendance applies after a session's last heartbeat. */
  heartbeatMs: number;
  everyMs?: number;
  logger: Logger;
  now?: () => number;
}

export interface DeadNodeCleanUp {
  node: string;
  /** The dead node's last alive mark: where its sessions end. */
  aliveAt: number;
  sessions: number;
  recordings: number;
}

export class DeadNodeSweeper {
  readonly #options: DeadNodeSweeperOptions;
  readonly #log: Logger;
  readonly #now: () => number;
  #timer: ReturnType<typeof setInterval> | null = null;
  #sweeping: Promise<DeadNodeCleanUp[]> | null = null;
  #stopped = false;

  constructor(options: DeadNodeSweeperOptions) {
    this.#options = options;
    this.#log = options.logger.child({ component: 'dead-nodes' });
    this.#now = options.now ?? Date.now;
  }

  start(): void {
    if (this.#timer || this.#stopped) return;
    this.#timer = setInterval(() => void this.sweep(), this.#options.everyMs ?? SWEEP_EVERY_MS);
    this.#timer.unref();
  }

  /** One look (one at a time: a call while one runs answers that one). Never rejects. */
  sweep(): Promise<DeadNodeCleanUp[]> {
    this.#sweeping ??= this.#sweep()
      .catch((error: unknown) => {
        this.#log.warn({ err: (error as Error).message }, 'could not look for dead nodes; trying again');
        return [];
      })
      .finally(() => {
        this.#sweeping = null;
      });
    return this.#sweeping;
  }

  /** No more sweeps; waits for the one under way (before the store closes). */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#sweeping;
  }

  async #sweep(): Promise<DeadNodeCleanUp[]> {
    const { store, nodes, deadAfterMs, heartbeatMs } = this.#options;
    // A node that does not reach Redis cannot tell dead nodes from its own isolation.
    if (this.#stopped || !nodes.registered) return [];
    const aliveBefore = this.#now() - deadAfterMs;
    const stale = await store.staleNodes(aliveBefore);
    const done: DeadNodeCleanUp[] = [];
    for (const { node, aliveAt } of stale) {
      if (this.#stopped || !nodes.registered) break; // re-checked after every await
      // Registered: alive (its database writes are late, or it cannot reach the database): not ours to close.
      if ((await nodes.get(node)) !== null) continue;
      if (this.#stopped || !nodes.registered) break;
      // The store checks the alive mark again in the same statements: a node back meanwhile keeps everything.
      const { sessions, recordings } = await store.closeDeadNode(node, aliveBefore, heartbeatMs);
      if (sessions === 0 && recordings === 0) continue; // another survivor did it, or the node came back
      done.push({ node, aliveAt, sessions, recordings });
      this.#log.warn(
        { deadNode: node, aliveAt: new Date(aliveAt).toISOString(), sessions, recordings },
        `node ${node} is dead (gone from the registry, last alive ${new Date(aliveAt).toISOString()}): closed ${sessions} attendance session(s) at its last alive mark, ${recordings} recording(s) interrupted`,
      );
    }
    return done;
  }
}
