/**
 * The seam between the cluster's control plane (registry, origin directory, placement: Redis)
 * and its media plane (PipeTransports between hosts). Single-node mode uses none of it.
 */

/** What a node reports about itself with every heartbeat. */
export interface NodeLoad {
  workers: number;
  participants: number;
  consumers: number;
  /** Bits per second the node sends to its participants and downstream nodes (estimate). */
  bitrate: number;
  /** At or over its participant cap: new participants go elsewhere. */
  full: boolean;
}

/** One Teleclass process in a cluster, as the registry knows it. */
export interface NodeInfo {
  id: string;
  region: string | null;
  /** Where browsers reach this node (its own PUBLIC_URL). */
  publicUrl: string;
  /** Where other nodes call it (the internal API; defaults to publicUrl). */
  internalUrl: string;
  draining: boolean;
  load: NodeLoad;
  /** Epoch ms of its last heartbeat. */
  seenAt: number;
}

/** The live nodes of the cluster (entries expire ≤ 3 s after a node's last heartbeat). */
export interface NodeDirectory {
  self(): NodeInfo;
  list(): Promise<NodeInfo[]>;
  get(nodeId: string): Promise<NodeInfo | null>;
}

/** Which node is a lecture's origin: the node the studio publishes on. */
export interface OriginDirectory {
  /** The lecture's origin; claims it for this node when no live node holds it. */
  claim(lectureId: string): Promise<NodeInfo>;
  /** The lecture's origin, or null when no live node holds it. */
  originOf(lectureId: string): Promise<NodeInfo | null>;
}
