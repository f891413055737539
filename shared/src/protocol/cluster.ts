/** Cluster mode (README: Cluster): the pushes that let a page follow its participants' node. */
import { z } from 'zod';

/** A node as a page needs it: where to reconnect, and whether it takes newcomers. */
export const clusterNodeSchema = z.object({
  id: z.string(),
  region: z.string().nullable(),
  /** The node's PUBLIC_URL (its socket.io endpoint is `<url>/socket.io`). */
  url: z.string(),
  /** Draining or full: reconnect there only when no other node answers. */
  busy: z.boolean(),
});
export type ClusterNode = z.infer<typeof clusterNodeSchema>;

export const clusterNotifications = {
  /**
   * On connection and whenever the cluster's nodes change: the node serving this connection and
   * the live nodes, so the page can reconnect to another one when its node stops answering.
   */
  cluster: z.object({ self: z.string(), nodes: z.array(clusterNodeSchema) }),
  /**
   * Go to another node (this one is full or draining): reconnect to `url` with the same token and
   * join again there. `reason`: why, for logs.
   */
  moveTo: z.object({ url: z.string(), nodeId: z.string(), reason: z.enum(['full', 'draining']) }),
} as const;
