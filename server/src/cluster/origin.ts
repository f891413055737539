import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import type { NodeInfo, OriginDirectory } from './ports.js';
import { NODE_TTL_MS, type RedisNodeRegistry } from './registry.js';
import { withTimeout } from './redis.js';

const CALL_TIMEOUT_MS = 1_000;
/** A claim lives as long as a node entry: a dead origin's claim lapses with its heartbeat. */
export const CLAIM_TTL_MS = NODE_TTL_MS;
export const originKey = (lectureId: string) => `tc:origin:${lectureId}`;

/**
 * Keeps a claim that is ours (or takes one nobody holds, e.g. after Redis restarted empty):
 * 1 = ours now, 0 = another node holds it.
 */
const REFRESH = `
local holder = redis.call('GET', KEYS[1])
if holder == false or holder == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0`;

/** Deletes the claim only when it is still `ARGV[1]`'s (a release never removes someone else's). */
const RELEASE_IF = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

interface OriginEvents {
  /** Another node took a lecture this node held (e.g. this node was cut off from Redis for longer than the TTL). */
  lost: [lectureId: string, holder: string];
}

/**
 * Which node is a lecture's origin, on Redis: `tc:origin:<lectureId>` = node id, taken with
 * SET NX PX and kept by the holder's heartbeat (REFRESH after each one). A node that dies stops
 * refreshing and its claims lapse within CLAIM_TTL_MS; a claim whose holder is no longer in the
 * registry is taken over at once. After a Redis restart the holders write their claims back with
 * the next heartbeat.
 */
export class RedisOriginDirectory extends EventEmitter<OriginEvents> implements OriginDirectory {
  readonly #redis: Redis;
  readonly #nodes: RedisNodeRegistry;
  readonly #log: Logger;
  /** Lectures whose origin this node is. */
  readonly #held = new Set<string>();
  #refreshing = false;

  constructor(redis: Redis, nodes: RedisNodeRegistry, logger: Logger) {
    super();
    this.#redis = redis;
    this.#nodes = nodes;
    this.#log = logger.child({ component: 'cluster-origin' });
    nodes.on('heartbeat', () => void this.#refresh());
  }

  /** The lectures this node is the origin of. */
  get held(): ReadonlySet<string> {
    return this.#held;
  }

  async claim(lectureId: string): Promise<NodeInfo> {
    const self = this.#nodes.self();
    // Two tries: the second after clearing a claim whose holder has left the registry.
    for (let attempt = 0; attempt < 2; attempt++) {
      const taken = await withTimeout(this.#redis.set(originKey(lectureId), self.id, 'PX', CLAIM_TTL_MS, 'NX'), CALL_TIMEOUT_MS, 'origin claim');
      if (taken === 'OK') {
        this.#held.add(lectureId);
        this.#log.info({ lectureId }, 'this node is the lecture\'s origin');
        return this.#nodes.self();
      }
      const holder = await withTimeout(this.#redis.get(originKey(lectureId)), CALL_TIMEOUT_MS, 'origin lookup');
      if (holder === null) continue; // lapsed between the two calls
      if (holder === self.id) {
        this.#held.add(lectureId);
        return this.#nodes.self();
      }
      const node = await this.#nodes.get(holder);
      if (node) return node;
      // The holder is gone from the registry (killed): its claim is void, whatever its TTL says.
      await withTimeout(this.#redis.eval(RELEASE_IF, 1, originKey(lectureId), holder), CALL_TIMEOUT_MS, 'origin takeover');
    }
    throw new Error(`could not settle the origin of lecture ${lectureId}`);
  }

  async originOf(lectureId: string): Promise<NodeInfo | null> {
    const holder = await withTimeout(this.#redis.get(originKey(lectureId)), CALL_TIMEOUT_MS, 'origin lookup');
    if (holder === null) return null;
    if (holder === this.#nodes.self().id) return this.#nodes.self();
    return this.#nodes.get(holder);
  }

  /** This node no longer serves the lecture as its origin (it ended, or this node drains). */
  async release(lectureId: string): Promise<void> {
    if (!this.#held.delete(lectureId)) return;
    await withTimeout(this.#redis.eval(RELEASE_IF, 1, originKey(lectureId), this.#nodes.self().id), CALL_TIMEOUT_MS, 'origin release').catch(() => undefined);
  }

  /** After each heartbeat: every held claim gets a fresh TTL (or is written back after a Redis restart). */
  async #refresh(): Promise<void> {
    if (this.#refreshing || this.#held.size === 0) return;
    this.#refreshing = true;
    const self = this.#nodes.self().id;
    try {
      const lectures = [...this.#held];
      const pipeline = this.#redis.pipeline();
      for (const id of lectures) pipeline.eval(REFRESH, 1, originKey(id), self, CLAIM_TTL_MS);
      const results = (await withTimeout(pipeline.exec(), CALL_TIMEOUT_MS, 'origin refresh')) ?? [];
      for (const [i, [error, kept]] of results.entries()) {
        const lectureId = lectures[i]!;
        if (error || kept === 1 || !this.#held.has(lectureId)) continue;
        this.#held.delete(lectureId);
        const holder = (await this.#redis.get(originKey(lectureId)).catch(() => null)) ?? 'unknown';
        this.#log.warn({ lectureId, holder }, 'another node took over as the lecture\'s origin');
        this.emit('lost', lectureId, holder);
      }
    } catch (error) {
      this.#log.debug({ err: (error as Error).message }, 'origin refresh failed (Redis away); tried again with the next heartbeat');
    } finally {
      this.#refreshing = false;
    }
  }
}
