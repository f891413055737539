/**
 * Persistence behind one small interface: lectures, removals, chat and attendance. The default
 * implementation is SQLite (SqliteStore); everything the server must not lose across a restart
 * lives here. One implementation (SqlStore) on two databases: SQLite in DATA_DIR by default,
 * PostgreSQL when DATABASE_URL is set (a cluster). Every method is asynchronous and never throws
 * for "not found" (it answers undefined / false instead); constraint violations are StoreErrors.
 */
import type { Language, LectureState, RecordingWarning, Role, StoredChapter } from '@teleclass/shared';

export type { RecordingWarning };

export interface LectureRecord {
  id: string;
  title: string;
  /** ISO 8601 date-time the lecture is scheduled to start. */
  scheduledStart: string;
  trainerName: string;
  /** Classroom names, e.g. ["Ganja", "Sheki"]; each gets its own join link. */
  sites: string[];
  /** Whether new attendees wait in a lobby until admitted (sites are always admitted). */
  locked: boolean;
  /** Whether recording starts by itself when the lecture goes live. */
  autoRecord: boolean;
  state: LectureState;
  startedAt: number | null;
  endedAt: number | null;
  createdAt: number;
  /** The registry's sites invited (their names are in `sites` too). */
  siteIds: string[];
  /** The same, with each site's name as invited. */
  siteRefs: SiteRef[];
  /** Occurrences of one recurring lecture share a series id and its RRULE; null for a one-off. */
  seriesId: string | null;
  recurrence: string | null;
  /** The language of what is written for everyone at once: the composed MP4's chapter titles. */
  language: Language;
}

export interface SiteRef {
  id: string;
  name: string;
}

export type NewLecture = Pick<LectureRecord, 'title' | 'scheduledStart' | 'trainerName' | 'sites'> &
  Partial<Pick<LectureRecord, 'locked' | 'autoRecord' | 'siteRefs' | 'seriesId' | 'recurrence' | 'language'>>;

/** A classroom of the registry: a standing entity with one kiosk link. */
export interface SiteRecord {
  id: string;
  name: string;
  region: string | null;
  /** The kiosk link's version; rotating moves it on. */
  kioskVersion: number;
  lastSeenAt: number | null;
  clientVersion: string | null;
  /** The last pre-flight check's results (JSON as reported), with when. */
  preflight: Record<string, unknown> | null;
  createdAt: number;
  /** The kiosk's interface language; null: the kiosk browser's own languages decide. */
  language: Language | null;
}

export type NewSite = { name: string; region?: string | null | undefined; language?: Language | null | undefined };

/** The sites registry, part of the Store. */
export interface SiteStore {
  /** A new site; StoreError 'DUPLICATE' when the name (any case) is taken. */
  createSite(site: NewSite): Promise<SiteRecord>;
  getSite(id: string): Promise<SiteRecord | undefined>;
  listSites(): Promise<SiteRecord[]>;
  /** StoreError 'DUPLICATE' when renamed to a taken name; undefined when there is no such site. */
  updateSite(id: string, patch: { name?: string; region?: string | null; language?: Language | null }): Promise<SiteRecord | undefined>;
  deleteSite(id: string): Promise<boolean>;
  /** Moves the kiosk link on; the old one stops working. Undefined when there is no such site. */
  bumpKioskVersion(id: string): Promise<SiteRecord | undefined>;
  /** The kiosk was heard from at `at` (with its page version, when it said). */
  touchSite(id: string, at: number, clientVersion?: string): Promise<void>;
  setSitePreflight(id: string, result: Record<string, unknown>): Promise<void>;
  /** The lectures that invited this site, soonest first. */
  lecturesOfSite(siteId: string): Promise<LectureRecord[]>;
  /** One recurring lecture's occurrences, soonest first. */
  lecturesOfSeries(seriesId: string): Promise<LectureRecord[]>;
}

export interface ChatRecord {
  id: string;
  lectureId: string;
  /** The author's stable identity (token subject), not the socket's peer id. */
  authorIdentity: string;
  authorName: string;
  authorRole: Role;
  site: string | null;
  text: string;
  isQuestion: boolean;
  answeredAt: number | null;
  createdAt: number;
}

export type NewChat = Omit<ChatRecord, 'id' | 'answeredAt' | 'createdAt'>;

export interface AttendanceRecord {
  id: string;
  lectureId: string;
  identity: string;
  role: Role;
  name: string;
  site: string | null;
  joinedAt: number;
  /** null while present. */
  leftAt: number | null;
  /** 'left' | 'disconnected' | 'removed' | 'server-restart' | … */
  leftReason: string | null;
  /** Last time the server saw this person present (updated periodically while present). */
  lastSeenAt: number;
}

export interface RemovalRecord {
  identity: string;
  /** The server-signed id of the browser the person was in, when it sent one. */
  deviceId: string | null;
  name: string;
  role: Role;
  removedAt: number;
}

export type NewRemoval = Pick<RemovalRecord, 'identity'> & Partial<Pick<RemovalRecord, 'deviceId' | 'name' | 'role'>>;

export type NewAttendance = Pick<AttendanceRecord, 'lectureId' | 'identity' | 'role' | 'name' | 'site' | 'joinedAt'>;

export interface Store extends RecordingStore, SiteStore {
  // Lectures
  createLecture(lecture: NewLecture): Promise<LectureRecord>;
  getLecture(id: string): Promise<LectureRecord | undefined>;
  listLectures(): Promise<LectureRecord[]>;
  /** Deletes the lecture and everything stored with it (recordings' rows too, not their files); false when it did not exist. */
  deleteLecture(id: string): Promise<boolean>;
  updateLecture(
    id: string,
    patch: Partial<Pick<LectureRecord, 'locked' | 'autoRecord' | 'state' | 'startedAt' | 'endedAt'>>,
  ): Promise<LectureRecord | undefined>;

  // Removed participants: their identity, and the browser they came from, are refused afterwards.
  /** Records a removal (again: keeps the first, adds a device id it lacked); no-op for an unknown lecture. */
  addRemoval(lectureId: string, identityOrRemoval: string | NewRemoval): Promise<void>;
  /** Whether this identity, or (when given) this browser's device id, was removed from the lecture. */
  isRemoved(lectureId: string, identity: string, deviceId?: string | null): Promise<boolean>;
  listRemovals(lectureId: string): Promise<RemovalRecord[]>;
  /** Lets a removed person back in; false when there was no such removal. */
  deleteRemoval(lectureId: string, identity: string): Promise<boolean>;

  // Link versions: a join token carries its scope's version; rotating moves it on.
  /** scope ('trainer', 'attendee', 'site:<name>') → version; scopes never rotated are at 1 and absent. */
  linkVersions(lectureId: string): Promise<Record<string, number>>;
  /** Moves each scope on by one (old tokens of those scopes stop working); answers all versions. */
  bumpLinkVersions(lectureId: string, scopes: readonly string[]): Promise<Record<string, number>>;

  // Chat and Q&A
  addChat(message: NewChat): Promise<ChatRecord>;
  listChat(lectureId: string, limit?: number): Promise<ChatRecord[]>;
  countChat(lectureId: string): Promise<number>;
  markAnswered(lectureId: string, messageId: string, at: number): Promise<ChatRecord | undefined>;

  // Attendance
  /**
   * Opens a session; or, when the same person's latest session in the lecture ended as
   * 'disconnected' or 'replaced' at most the rejoin window (10 s) before `joinedAt`, continues
   * that one (one session per continuous presence: a cut connection or a reloaded kiosk).
   */
  recordJoin(entry: NewAttendance): Promise<AttendanceRecord>;
  recordLeave(attendanceId: string, at: number, reason: string): Promise<void>;
  /**
   * Marks every open record of these ids as seen now (a heartbeat while people are present).
   * Records of this node a survivor closed as 'node-lost' (this node looked dead: closeDeadNode)
   * are re-opened first, unless the person has a later session: a node back from a cut-off
   * continues its people's presence. recordLeave does the same before it closes.
   */
  touchAttendance(attendanceIds: string[], at: number): Promise<void>;
  /** This node is alive at `at` (written every second; each node of a shared store has its own mark; see closeOpenAttendance). */
  markAlive(at: number): Promise<void>;
  /**
   * On start: closes this node's records left open by a crash, reason 'server-restart', at the
   * last proof of presence: this node's last alive mark, but at most `heartbeatMs` after the
   * record's own last heartbeat (never before it). Sessions other nodes of a shared store wrote
   * are left alone (their people are still present there).
   */
  closeOpenAttendance(reason: string, heartbeatMs?: number): Promise<number>;
  /**
   * Cluster: the other nodes whose alive mark is older than `before` and that still hold open
   * sessions or running recordings (candidates for closeDeadNode; whether they are dead is the
   * registry's word too: server/src/cluster/deadNodes.ts).
   */
  staleNodes(before: number): Promise<Array<{ node: string; aliveAt: number }>>;
  /**
   * Cluster: a surviving node does the crash clean-up of a dead `node` — the very one that node
   * would do on its restart (closeOpenAttendance at its last alive mark, markInterruptedRecordings),
   * with the leave reason 'node-lost' — but only if that node's alive mark is still older than
   * `aliveBefore` (checked in the same statements: a node that came back keeps everything).
   * Idempotent: two survivors at once close each session once, at the same instant. A node back
   * from a partition continues the sessions closed so (touchAttendance / recordLeave re-open those
   * of its people still present, unless the person has a later session elsewhere).
   */
  closeDeadNode(node: string, aliveBefore: number, heartbeatMs?: number): Promise<{ sessions: number; recordings: number }>;
  listAttendance(lectureId: string): Promise<AttendanceRecord[]>;

  /** Waits for the writes under way, then closes the database; later calls are refused (StoreError CLOSED). */
  close(): Promise<void>;
}

// ─────────────────────────────────────────────────────────────────────────── recordings

/** One raw file of a recording: one stream of one person, written as it arrived (no re-encoding). */
export interface RecordingTrack {
  /** File name inside the recording's folder, e.g. `trainer-camera-1.mkv`. */
  file: string;
  kind: 'audio' | 'video';
  source: 'camera' | 'microphone' | 'screen';
  role: Role;
  /** Who: the trainer's name, the classroom's name or the attendee's name. */
  name: string;
  /** Milliseconds from the recording's start to this stream's first byte. */
  startMs: number;
  /** Milliseconds from the recording's start to its end; null while writing (or cut by a crash). */
  endMs: number | null;
  bytes: number;
  /** Video: each change of the simulcast layer the recorder received (ms from the recording's start). */
  layers?: { atMs: number; spatialLayer: number; temporalLayer?: number }[];
  /** Video: the picture size from each change on (ms from the file's start), found when composing. */
  sizes?: { atMs: number; width: number; height: number }[];
}

/** A point to jump to in the finished video. */
/** A chapter point: a kind and names, put into words in the reader's language (shared/src/stored.ts). */
export type RecordingChapter = StoredChapter;

export type RecordingStatus =
  /** ffmpeg is writing the raw files. */
  | 'recording'
  /** Stopped cleanly; waiting for the post-processing job. */
  | 'stopped'
  /** Cut off by a crash (server or ffmpeg killed); the raw files play up to the cut; still processed. */
  | 'interrupted'
  | 'processing'
  | 'ready'
  | 'failed';

export interface RecordingRecord {
  id: string;
  lectureId: string;
  startedAt: number;
  endedAt: number | null;
  status: RecordingStatus;
  /** Absolute folder of the raw files and the output. */
  dir: string;
  tracks: RecordingTrack[];
  chapters: RecordingChapter[];
  /** Post-processing progress, 0–100. */
  progress: number;
  /** File name of the composed MP4 inside `dir`, once ready. */
  output: string | null;
  outputBytes: number;
  /** Why processing failed. */
  error: string | null;
  /** What the check after composing found wrong with a 'ready' recording (empty: nothing). */
  warnings: RecordingWarning[];
}

export type NewRecording = Pick<RecordingRecord, 'lectureId' | 'dir'> & { startedAt?: number };
export type RecordingPatch = Partial<Omit<RecordingRecord, 'id' | 'lectureId' | 'dir'>>;

/** Recordings, part of the Store (SqlStore implements both). */
export interface RecordingStore {
  createRecording(recording: NewRecording): Promise<RecordingRecord>;
  getRecording(id: string): Promise<RecordingRecord | undefined>;
  /** The node that recorded it (its files are in that node's DATA_DIR; `local` on one server), or undefined: no such recording. */
  recordingNode(id: string): Promise<string | undefined>;
  /** Newest first; one lecture's or all. */
  listRecordings(lectureId?: string): Promise<RecordingRecord[]>;
  updateRecording(id: string, patch: RecordingPatch): Promise<RecordingRecord | undefined>;
  deleteRecording(id: string): Promise<boolean>;
  /** On start: this node's recordings a crash left 'recording' become 'interrupted' (other nodes' go on); answers how many. */
  markInterruptedRecordings(): Promise<number>;
}
