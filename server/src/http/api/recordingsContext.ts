/** What the recording library routes need besides the store and tokens. */
export interface RecordingsApiDeps {
  /** DATA_DIR: recordings are served and deleted only under DATA_DIR/recordings. */
  dataDir: string;
  /** VIEW_LINK_HOURS: how long a viewing link made now works. */
  viewLinkHours: number;
  /** The post-processing queue: a recording's job is stopped before the recording is deleted. */
  queue?: { cancel(recordingId: string): Promise<void> };
}
