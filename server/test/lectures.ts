// Creating lectures for tests the way an organiser does: POST /api/lectures with the admin token.
import type { RunningServer } from '../src/server.js';
import type { LectureRecord } from '../src/store/Store.js';
import { httpsRequest, type HttpsAnswer } from './helpers.js';

export interface TestLecture {
  lecture: LectureRecord;
  links: { trainer: string; sites: { site: string; url: string }[]; attendee: string };
  trainer: string;
  attendee: string;
  site(name: string): string;
}

/** A call of the admin API (with the admin token unless `token` is null). */
export function apiRequest(
  server: RunningServer,
  method: string,
  path: string,
  body?: unknown,
  token: string | null = server.adminToken,
): Promise<HttpsAnswer> {
  return httpsRequest(method, `${server.url}${path}`, {
    ca: server.certificate,
    ...(body !== undefined && { body }),
    ...(token !== null && { token }),
  });
}

const tokenOf = (url: string) => new URL(url).searchParams.get('token') ?? '';

export interface TestLectureOptions {
  title?: string;
  sites?: string[];
  locked?: boolean;
  trainerName?: string;
}

/** Sends one admin API call (authorised) and answers what the server said. */
export type AdminCall = (method: string, path: string, body: unknown) => Promise<HttpsAnswer>;

/** Creates a lecture through whatever reaches an admin API (a server in this process, a node process, …). */
export async function createLectureVia(call: AdminCall, options: TestLectureOptions = {}): Promise<TestLecture> {
  const res = await call('POST', '/api/lectures', {
    title: options.title ?? 'Test lecture',
    scheduledStart: new Date().toISOString(),
    trainerName: options.trainerName ?? 'Dr. Aliyev',
    sites: options.sites ?? ['Ganja', 'Sheki'],
    locked: options.locked ?? false,
  });
  if (res.status !== 201) throw new Error(`POST /api/lectures: ${res.status} ${res.body}`);
  const { lecture, links } = JSON.parse(res.body) as Pick<TestLecture, 'lecture' | 'links'>;
  return {
    lecture,
    links,
    trainer: tokenOf(links.trainer),
    attendee: tokenOf(links.attendee),
    site(name: string) {
      const link = links.sites.find((s) => s.site === name);
      if (!link) throw new Error(`no link for site ${name}`);
      return tokenOf(link.url);
    },
  };
}

export function createTestLecture(server: RunningServer, options: TestLectureOptions = {}): Promise<TestLecture> {
  return createLectureVia((method, path, body) => apiRequest(server, method, path, body), options);
}
