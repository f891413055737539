import type { Server } from 'socket.io';
import type { JoinClaims } from '../auth/tokens.js';
import type { Logger } from '../logger.js';
import { placeParticipant } from './placement.js';
import type { RedisCluster } from './redisCluster.js';

/** How often a draining node looks whether its participants have left. */
const POLL_MS = 100;

export interface DrainOutcome {
  /** Sockets told to move. */
  moved: number;
  /** Sockets still here at the deadline (let go by the stop that follows). */
  stayed: number;
  ms: number;
}

/**
 * SIGTERM in cluster mode: the node marks itself draining (newcomers are sent elsewhere at once),
 * tells each connected page where to go (`moveTo`: the least-loaded open node of its region,
 * else any), and waits until they have left or `deadlineMs` passed. Pages that do not follow are
 * let go at the deadline. With no other node to go to, nobody is moved and the stop goes on.
 */
export async function drain(io: Server, cluster: RedisCluster, deadlineMs: number, logger: Logger): Promise<DrainOutcome> {
  const started = Date.now();
  const log = logger.child({ component: 'cluster-drain' });
  await cluster.nodes.setDraining();
  const nodes = await cluster.nodes.list().catch(() => cluster.nodes.known);
  const self = cluster.nodes.self();
  let moved = 0;
  for (const socket of [...io.of('/').sockets.values()]) {
    const claims = socket.data.claims as JoinClaims | undefined;
    const target = placeParticipant(self, nodes, await cluster.regionOf(claims).catch(() => self.region));
    if (!socket.connected) continue; // left while the region was looked up
    if (!target) continue;
    cluster.moveSocket(socket, target, 'draining', Math.max(1, deadlineMs));
    moved++;
  }
  log.info({ moved, deadlineMs }, `draining: ${moved} connection(s) told to move`);
  const deadline = started + deadlineMs;
  while (moved > 0 && io.of('/').sockets.size > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  const stayed = io.of('/').sockets.size;
  const ms = Date.now() - started;
  log.info({ stayed, ms }, `drained in ${ms} ms (${stayed} connection(s) left behind)`);
  return { moved, stayed, ms };
}
