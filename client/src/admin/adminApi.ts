/**
 * The admin REST API (/api, `Authorization: Bearer <admin token>`), typed by the shared schemas
 * (shared/src/protocol/admin.ts, sites.ts, recordings.ts). In development builds (and tests) every
 * answer is parsed with its schema, as the socket client does, and one that does not fit is an
 * AdminApiError (INTERNAL). Every failure is an AdminApiError with the server's code and sentence
 * (or NETWORK when the server cannot be reached).
 */
import {
  createdLectureSchema,
  importedSitesSchema,
  lectureListSchema,
  lectureWithLinksSchema,
  recordingDetailSchema,
  recordingListSchema,
  siteListSchema,
  siteWithLinkSchema,
  type AdminLecture,
  type CreatedLecture,
  type CreateLectureRequest,
  type CreateSiteRequest,
  type Language,
  type ImportedSites,
  type LectureWithLinks,
  type RecordingDetail,
  type RecordingSummary,
  type SiteList,
  type SiteWithLink,
  type SiteWithStatus,
} from '@teleclass/shared';

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

const isDev = (): boolean => import.meta.env?.DEV === true;

/** What is used of a shared zod schema (the client does not depend on zod itself). */
export interface AnswerSchema<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: { issues: unknown } };
}

/**
 * An answer checked against its schema (defaults filled in), or taken as it is when `validate` is
 * off (production builds: the server's answers are typed by the same schemas).
 */
export function parseAnswer<T>(schema: AnswerSchema<T>, body: unknown, what: string, validate = isDev()): T {
  if (!validate) return body as T;
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  console.error(`[teleclass] the answer to ${what} does not fit the protocol`, parsed.error.issues, body);
  throw new AdminApiError(200, 'INTERNAL', `The answer to ${what} does not fit the protocol.`);
}

export class AdminApi {
  readonly #token: string;
  readonly #base: string;
  readonly #fetch: FetchLike;
  readonly #validate: boolean;

  /** `validate`: parse every answer with its schema (default: in development builds). */
  constructor(token: string, options: { base?: string; fetch?: FetchLike; validate?: boolean } = {}) {
    this.#token = token;
    this.#base = options.base ?? '';
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.#validate = options.validate ?? isDev();
  }

  async createLecture(body: NewLecture): Promise<CreatedLecture> {
    return this.#json(createdLectureSchema, 'POST', '/api/lectures', body);
  }

  async listLectures(): Promise<AdminLecture[]> {
    return (await this.#json(lectureListSchema, 'GET', '/api/lectures')).lectures;
  }

  async getLecture(id: string): Promise<LectureWithLinks> {
    return this.#json(lectureWithLinksSchema, 'GET', `/api/lectures/${encodeURIComponent(id)}`);
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
    return (await this.#json(recordingListSchema, 'GET', `/api/lectures/${encodeURIComponent(lectureId)}/recordings`)).recordings;
  }

  /** One recording with its chapters and, for the admin, a fresh signed viewing link (`viewUrl`). */
  async getRecording(id: string): Promise<RecordingDetail> {
    return this.#json(recordingDetailSchema, 'GET', `/api/recordings/${encodeURIComponent(id)}`);
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
  async network(): Promise<SiteList> {
    const body = await this.#json(siteListSchema, 'GET', '/api/sites');
    return { sites: body.sites, studios: body.studios ?? [] };
  }

  /** Registers many sites at once (names already registered are skipped), as `npm run sites:import` does. */
  async importSites(sites: CreateSiteRequest[]): Promise<ImportedSites> {
    return this.#json(importedSitesSchema, 'POST', '/api/sites/import', { sites });
  }

  /** A new kiosk link for the site; the old one stops working at once. */
  /** Sets a site's kiosk language (null: the kiosk browser's own languages decide). */
  async setSiteLanguage(siteId: string, language: Language | null): Promise<void> {
    await this.#send('PATCH', `/api/sites/${encodeURIComponent(siteId)}`, { language });
  }

  async rotateKioskLink(siteId: string): Promise<SiteWithLink> {
    return this.#json(siteWithLinkSchema, 'POST', `/api/sites/${encodeURIComponent(siteId)}/kiosk-link/rotate`);
  }

  /** Sends, then reads the JSON answer as `schema` says (parsed when validating). */
  async #json<T>(schema: AnswerSchema<T>, method: string, path: string, body?: unknown): Promise<T> {
    const answer: unknown = await (await this.#send(method, path, body)).json();
    return parseAnswer(schema, answer, `${method} ${path}`, this.#validate);
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
