import type { Request, Response } from 'express';

/** What the recording library routes need besides the store and tokens. */
export interface RecordingsApiDeps {
  /** DATA_DIR: recordings are served and deleted only under DATA_DIR/recordings. */
  dataDir: string;
  /** VIEW_LINK_HOURS: how long a viewing link made now works. */
  viewLinkHours: number;
  /** The post-processing queue: a recording's job is stopped before the recording is deleted. */
  queue?: { cancel(recordingId: string): Promise<void> };
  /** Cluster mode: the other nodes, where recordings made there keep their files. */
  nodes?: RecordingNodes;
}

/**
 * Cluster mode: a recording's files are in the DATA_DIR of the node that recorded it (the store
 * says which). A page loaded from another node reads and deletes them through its own node, which
 * asks that node over the signed internal API (cluster/recordingNodes.ts).
 */
export interface RecordingNodes {
  /** This node's id (NODE_ID). */
  readonly self: string;
  /** Whether node `nodeId` is in the registry now. */
  isLive(nodeId: string): boolean;
  /** The video from node `nodeId`, passed through to `res` (Range requests, ?download=1); NODE_UNAVAILABLE when it does not answer. */
  pipeVideo(nodeId: string, recordingId: string, req: Request, res: Response): Promise<void>;
  /** Node `nodeId` removes the recording's files (and stops its job there); NODE_UNAVAILABLE when it does not answer. */
  removeFiles(nodeId: string, recordingId: string): Promise<void>;
}
