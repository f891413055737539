// An ingest ffmpeg dies with its server. SIGKILL of the server process (a crash, the OOM killer)
// used to leave the lecture's SRT listener running, holding its port with the lecture's
// passphrase: the restarted server's listener moved to the next port, and an encoder
// reconnecting to the URL it knew fed the orphan. Now the kernel ends it with the server
// (ingest/tiedSpawn.ts), and after the restart the lecture's SRT URL is the same again.
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { E2E_ADMIN_TOKEN, ServerProcess } from '../../../e2e/serverProcess.js';
import { httpsRequest, waitFor } from '../helpers.js';

let server: ServerProcess | undefined;
afterAll(async () => server?.stop());

/** The pids of `parent`'s children named `name` (from /proc). */
function childrenOf(parent: number, name: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent && comm === name) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** Whether `pid` runs (a zombie, ended but not yet reaped, does not). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

describe('ingest across a server crash', () => {
  it('the SRT listener ends with a SIGKILLed server, and the restarted one listens on the same URL', async () => {
    // A range of UDP ports for this file's SRT listeners (the listener skips taken ones).
    const base = 41000 + (process.pid % 500) * 10;
    server = await ServerProcess.create({ MEDIASOUP_WORKERS: '1', SRT_MIN_PORT: String(base), SRT_MAX_PORT: String(base + 9) });
    await server.start();
    const ca = server.certificate;
    const url = `https://127.0.0.1:${server.port}`;
    const created = await httpsRequest('POST', `${url}/api/lectures`, {
      ca, token: E2E_ADMIN_TOKEN,
      body: { title: 'Crash', scheduledStart: new Date().toISOString(), trainerName: 'Aygün', sites: [] },
    });
    expect(created.status, created.body).toBe(201);
    const id = created.json.lecture.id as string;
    const srtUrl = async () => {
      const res = await httpsRequest('POST', `${url}/api/lectures/${id}/ingest`, { ca, token: E2E_ADMIN_TOKEN, body: {} });
      expect(res.status, res.body).toBe(200);
      return (res.json.credentials.srt as { url: string }).url;
    };
    const before = await srtUrl();
    const serverPid = server.pid!;
    const [listener] = await waitFor(() => {
      const pids = childrenOf(serverPid, 'ffmpeg');
      return pids.length > 0 && pids;
    }, 15_000, "the SRT listener's ffmpeg");

    await server.kill();
    await waitFor(() => !running(listener!), 10_000, `the SRT listener (pid ${listener}) ending with its server`);

    await server.start();
    expect(await srtUrl()).toBe(before);
  }, 90_000);
});
