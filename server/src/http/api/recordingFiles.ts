import { rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../../logger.js';
import type { RecordingRecord, RecordingStore } from '../../store/Store.js';
import { ApiError } from './errors.js';
import type { RecordingNodes, RecordingsApiDeps } from './recordingsContext.js';

/** The folder of a recording, when it is inside DATA_DIR/recordings (else nothing is served or deleted). */
export function safeRecordingDir(dataDir: string, r: RecordingRecord): string | undefined {
  const root = path.resolve(dataDir, 'recordings');
  const dir = path.resolve(r.dir);
  return dir.startsWith(root + path.sep) ? dir : undefined;
}

/** Stops the recording's job and removes its folder (only ever under DATA_DIR/recordings). */
export async function removeRecordingFiles(lib: RecordingsApiDeps, record: RecordingRecord, logger?: Logger): Promise<void> {
  await lib.queue?.cancel(record.id);
  const dir = safeRecordingDir(lib.dataDir, record);
  if (!dir) {
    logger?.warn({ recordingId: record.id, dir: record.dir }, 'recording folder is outside DATA_DIR/recordings; left in place');
    return;
  }
  await rm(dir, { recursive: true, force: true });
  // DATA_DIR/recordings/<lecture>/ goes too once it is empty.
  const parent = path.dirname(dir);
  if (parent !== path.resolve(lib.dataDir, 'recordings')) await rmdir(parent).catch(() => undefined);
}

/**
 * Where a recording's files are: here (one server; recorded by this node; or a row from before
 * the cluster, `local`, whose files are where they always were), on another live node, or on a
 * node that is not in the registry now (NODE_UNAVAILABLE, 503: try again once it is back —
 * nothing is served from, or deleted on, a node that cannot be asked).
 */
export async function filesOf(
  lib: RecordingsApiDeps,
  store: Pick<RecordingStore, 'recordingNode'>,
  recordingId: string,
): Promise<{ kind: 'here' } | { kind: 'remote'; node: string; nodes: RecordingNodes }> {
  const nodes = lib.nodes;
  if (!nodes) return { kind: 'here' };
  const node = await store.recordingNode(recordingId);
  if (node === undefined || node === nodes.self || node === 'local') return { kind: 'here' };
  if (!nodes.isLive(node)) throw new ApiError('NODE_UNAVAILABLE', `The recording's files are on node ${node}, which is not reachable now; try again once it is back.`);
  return { kind: 'remote', node, nodes };
}

/** Removes the recording's files wherever they are (its job stopped here too: every node's queue may hold it). */
export async function removeRecordingFilesAnywhere(
  lib: RecordingsApiDeps,
  store: Pick<RecordingStore, 'recordingNode'>,
  record: RecordingRecord,
  logger?: Logger,
): Promise<void> {
  const where = await filesOf(lib, store, record.id);
  if (where.kind === 'here') return removeRecordingFiles(lib, record, logger);
  await lib.queue?.cancel(record.id);
  await where.nodes.removeFiles(where.node, record.id);
}
