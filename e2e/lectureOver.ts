// Creating a lecture on a server child process (ServerProcess) through the admin API over HTTPS.
import https from 'node:https';
import { E2E_ADMIN_TOKEN, type ServerProcess } from './serverProcess.js';

export interface CreatedLecture {
  lecture: { id: string };
  links: { trainer: string; sites: { site: string; url: string }[]; attendee: string };
}

/** POST /api/lectures (the links are built from the Host: localhost:<port>). */
export function createLectureOver(
  server: ServerProcess,
  title: string,
  extra: Record<string, unknown> = {},
): Promise<CreatedLecture> {
  const body = JSON.stringify({ title, scheduledStart: new Date().toISOString(), trainerName: 'Aysel', sites: ['Ganja'], ...extra });
  return new Promise((resolve, reject) => {
    const req = https.request(
      `${server.url}/api/lectures`,
      {
        method: 'POST',
        ca: server.certificate,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${E2E_ADMIN_TOKEN}` },
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => (res.statusCode === 201 ? resolve(JSON.parse(text) as CreatedLecture) : reject(new Error(`${res.statusCode}: ${text}`))));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
