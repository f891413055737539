/**
 * The admin REST API (/api, `Authorization: Bearer <admin token>`), typed by the shared schemas
 * (shared/src/protocol/admin.ts). Every failure is an AdminApiError with the
 * server's code and sentence (or NETWORK when the server cannot be reached).
 */
import type { AdminLecture, CreateLectureRequest, LectureWithLinks, RecordingDetail, RecordingList, RecordingSummary } from '@teleclass/shared';
import type { CreateSiteRequest, Language, SiteWithLink, SiteWithStatus } from '@teleclass/shared';

export type { AdminLecture, LectureLinks, LectureWithLinks, RecordingDetail, RecordingSummary } from '@teleclass/shared';
export type { SiteWithStatus } from '@teleclass/shared';
/** One lecture's last studio pre-flight check. */
export interface StudioPreflight {
  lectureId: string;
  preflight: NonNullable<SiteWithStatus['status']['preflight']>;
}
/** The answer of POST /api/sites/import. */
export interface ImportedSites {
  created: { id: string; name: string; region: string | null }[];
  skipped: string[];
}
/** The form's lecture: what POST /api/lectures takes. */
export type NewLecture = CreateLectureRequest;

export class AdminApiError extends Error {
  override name = 'AdminApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const FALLBACK: Record<number, string> = {
  400: 'The request was not accepted.',
  401: 'The admin token is wrong or missing.',
  403: 'This link does not allow that.',
  404: 'No such lecture or recording.',
  409: 'That cannot be done now.',
  413: 'The request is too large.',
};

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export class AdminApi {
  readonly #token: string;
  readonly #base: string;
  readonly #fetch: FetchLike;

  constructor(token: string, options: { base?: string; fetch?: FetchLike } = {}) {
    this.#token = token;
    this.#base = options.base ?? '';
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  async createLecture(body: NewLecture): Promise<LectureWithLinks> {
    return (await this.#json('POST', '/api/lectures', body)) as LectureWithLinks;
  }

  async listLectures(): Promise<AdminLecture[]> {
    return ((await this.#json('GET', '/api/lectures')) as { lectures: AdminLecture[] }).lectures;
  }

  async getLecture(id: string): Promise<LectureWithLinks> {
    return (await this.#json('GET', `/api/lectures/${encodeURIComponent(id)}`)) as LectureWithLinks;
  }

  async deleteLecture(id: string): Promise<void> {
    await this.#send('DELETE', `/api/lectures/${encodeURIComponent(id)}`);
  }

  /** The attendance as a CSV file, its headers, roles and reasons in `language`. */
  async attendanceCsv(id: string, language: Language): Promise<Blob> {
    return (await this.#send('GET', `/api/lectures/${encodeURIComponent(id)}/attendance.csv?lang=${language}`)).blob();
  }

  /** The lecture's recordings, newest first. */
  async listRecordings(lectureId: string): Promise<RecordingSummary[]> {
    return ((await this.#json('GET', `/api/lectures/${encodeURIComponent(lectureId)}/recordings`)) as RecordingList).recordings;
  }

  /** One recording with its chapters and, for the admin, a fresh signed viewing link (`viewUrl`). */
  async getRecording(id: string): Promise<RecordingDetail> {
    return (await this.#json('GET', `/api/recordings/${encodeURIComponent(id)}`)) as RecordingDetail;
  }

  /** Deletes the recording's files (refused with 409 RECORDING_ACTIVE while it is being written). */
  async deleteRecording(id: string): Promise<void> {
    await this.#send('DELETE', `/api/recordings/${encodeURIComponent(id)}`);
  }

  /** The registry's sites with what is known of each now, their kiosk links and calendar feeds. */
  async listSites(): Promise<SiteWithStatus[]> {
    return (await this.network()).sites;
  }

  /** GET /api/sites whole: the sites, and each lecture's last studio pre-flight check. */
  async network(): Promise<{ sites: SiteWithStatus[]; studios: StudioPreflight[] }> {
    const body = (await this.#json('GET', '/api/sites')) as { sites: SiteWithStatus[]; studios?: StudioPreflight[] };
    return { sites: body.sites, studios: body.studios ?? [] };
  }

  /** Registers many sites at once (names already registered are skipped), as `npm run sites:import` does. */
  async importSites(sites: CreateSiteRequest[]): Promise<ImportedSites> {
    return (await this.#json('POST', '/api/sites/import', { sites })) as ImportedSites;
  }

  /** A new kiosk link for the site; the old one stops working at once. */
  async rotateKioskLink(siteId: string): Promise<SiteWithLink> {
    return (await this.#json('POST', `/api/sites/${encodeURIComponent(siteId)}/kiosk-link/rotate`)) as SiteWithLink;
  }

  async #json(method: string, path: string, body?: unknown): Promise<unknown> {
    return (await this.#send(method, path, body)).json();
  }

  async #send(method: string, path: string, body?: unknown): Promise<Response> {
    let response: Response;
    try {
      response = await this.#fetch(`${this.#base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.#token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      throw new AdminApiError(0, 'NETWORK', 'The server cannot be reached.');
    }
    if (response.ok) return response;
    throw await apiError(response);
  }
}

/** The `{ error: { code, message } }` of a failed answer (or a sentence for its status). */
export async function apiError(response: Response): Promise<AdminApiError> {
  let code = 'HTTP_' + response.status;
  let message = FALLBACK[response.status] ?? `The server answered ${response.status}.`;
  try {
    const body: unknown = await response.json();
    const error = typeof body === 'object' && body !== null && 'error' in body ? (body.error as Record<string, unknown>) : null;
    if (error && typeof error['code'] === 'string') code = error['code'];
    if (error && typeof error['message'] === 'string' && error['message']) message = error['message'];
  } catch {
    // Not JSON: keep the sentence for the status.
  }
  return new AdminApiError(response.status, code, message);
}
