import { rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../../logger.js';
import type { RecordingRecord } from '../../store/Store.js';
import type { RecordingsApiDeps } from './recordingsContext.js';

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
