import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN_FILE, loadSecret } from '../../src/auth/secret.js';
import { TokenService } from '../../src/auth/tokens.js';
import { openStore } from '../../src/store/openStore.js';
import { httpsRequest, spawnMain, tempDir } from '../helpers.js';

interface Run {
  child: ChildProcess;
  /** Every JSON log line so far. */
  lines: () => Record<string, unknown>[];
  url: string;
  /** Everything it printed on stdout. */
  stdout: () => string;
}

const running = new Set<ChildProcess>();

/** `node --import tsx server/src/main.ts` as `npm start` runs it, until it has logged where the admin token is. */
function startMain(env: Record<string, string>, timeoutMs = 30_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawnMain(env);
    running.add(child);
    let stdout = '';
    let stderr = '';
    const lines = () =>
      stdout.split('\n').flatMap((l) => {
        try {
          return [JSON.parse(l) as Record<string, unknown>];
        } catch {
          return [];
        }
      });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not start in time:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d;
      const listening = lines().find((l) => l['msg'] === 'Teleclass is listening');
      const admin = lines().find((l) => typeof l['adminPage'] === 'string');
      if (listening && admin) {
        clearTimeout(timer);
        resolve({ child, lines, url: listening['url'] as string, stdout: () => stdout });
      }
    });
    child.stderr!.on('data', (d: Buffer) => (stderr += d));
    child.on('exit', (code, signal) => {
      running.delete(child);
      clearTimeout(timer);
      reject(new Error(`the server exited (${code ?? signal}):\n${stdout}\n${stderr}`));
    });
  });
}

function kill(run: Run, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (run.child.exitCode !== null || run.child.signalCode !== null) return resolve();
    run.child.once('exit', () => resolve());
    run.child.kill(signal);
  });
}

describe('a restart of the server process', () => {
  afterEach(() => {
    for (const child of running) child.kill('SIGKILL');
  });

  it('after SIGKILL, keeps lectures, attendance, the admin token and the link secret; closes open attendance', async () => {
    const dataDir = path.join(tempDir('restart'), 'data');
    const certs = tempDir('certs');
    const env = {
      HOST: '127.0.0.1', PORT: '0', RTC_LISTEN_IP: '127.0.0.1', RTC_PORT: '0', RTC_MIN_PORT: '35000', RTC_MAX_PORT: '35999', RTMP_PORT: '0', SRT_MIN_PORT: '0',
      MEDIASOUP_WORKERS: '1', CERTS_DIR: certs, DATA_DIR: dataDir, LOG_LEVEL: 'info',
    };

    // First start: no ADMIN_TOKEN, so one is generated and kept; the log names its file, never
    // the token itself (stdout is not a terminal here, so not even the one-time sign-in link).
    const first = await startMain(env);
    const ca = readFileSync(path.join(certs, 'teleclass-dev-cert.pem'));
    const adminLine = first.lines().find((l) => typeof l['adminPage'] === 'string')!;
    const port = new URL(first.url).port;
    expect(adminLine['adminPage']).toBe(`https://127.0.0.1:${port}/admin`);
    expect(adminLine['tokenFile']).toBe(path.join(dataDir, ADMIN_TOKEN_FILE));
    const adminToken = readFileSync(path.join(dataDir, ADMIN_TOKEN_FILE), 'utf8').trim();
    expect(adminToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(first.stdout()).not.toContain(adminToken);
    expect(first.lines().find((l) => typeof l['closed'] === 'number')?.['closed']).toBe(0);

    const created = await httpsRequest('POST', `${first.url}/api/lectures`, {
      ca, token: adminToken,
      body: { title: 'Dövlət qulluğu haqqında qanun', scheduledStart: '2026-03-02T10:00:00+04:00', trainerName: 'Aygün', sites: ['Gəncə'] },
    });
    expect(created.status, created.body).toBe(201);
    const lecture = created.json.lecture as { id: string };
    const trainerToken = new URL(created.json.links.trainer as string).searchParams.get('token')!;

    // Someone is present when the process dies: an open record, last seen a while ago
    // (written on the same file while the server runs, as the real join path will).
    const t0 = Date.now() - 600_000;
    const live = await openStore(dataDir);
    const present = await live.recordJoin({ lectureId: lecture.id, identity: 'site:Gəncə', role: 'site', name: 'Gəncə', site: 'Gəncə', joinedAt: t0 });
    await live.touchAttendance([present.id], t0 + 120_000);
    await live.close();

    await kill(first, 'SIGKILL');

    // While it is down: one more finished session and one more left open.
    const down = await openStore(dataDir);
    const done = await down.recordJoin({ lectureId: lecture.id, identity: 'trainer', role: 'trainer', name: 'Aygün', site: null, joinedAt: t0 });
    await down.recordLeave(done.id, t0 + 300_000, 'left');
    const open = await down.recordJoin({ lectureId: lecture.id, identity: 'attendee:1', role: 'attendee', name: 'Nigar', site: null, joinedAt: t0 + 60_000 });
    await down.close();

    // Second start on the same DATA_DIR.
    const second = await startMain(env);
    try {
      expect(readFileSync(path.join(dataDir, ADMIN_TOKEN_FILE), 'utf8').trim()).toBe(adminToken);
      expect(second.stdout()).not.toContain(adminToken);
      expect(second.lines().find((l) => typeof l['closed'] === 'number')?.['closed']).toBe(2);

      const got = await httpsRequest('GET', `${second.url}/api/lectures/${lecture.id}`, { ca, token: adminToken });
      expect(got.status).toBe(200);
      expect(got.json.lecture).toEqual(created.json.lecture);

      const attendance = await httpsRequest('GET', `${second.url}/api/lectures/${lecture.id}/attendance`, { ca, token: adminToken });
      expect(attendance.status).toBe(200);
      const byId = new Map((attendance.json.records as { id: string }[]).map((r) => [r.id, r]));
      expect(byId.size).toBe(3);
      // The server was alive until the kill, long after these records' last heartbeats: each
      // ends one heartbeat (5 s) after its own last one, not later.
      expect(byId.get(present.id)).toMatchObject({ leftAt: t0 + 125_000, leftReason: 'server-restart' });
      expect(byId.get(open.id)).toMatchObject({ leftAt: t0 + 65_000, leftReason: 'server-restart' });
      expect(byId.get(done.id)).toMatchObject({ leftAt: t0 + 300_000, leftReason: 'left' });
      expect(attendance.json.perSite).toEqual([{ site: 'Gəncə', people: 1, totalSeconds: 125 }]);

      // Links sent before the crash still verify: the signing secret was kept in DATA_DIR.
      await expect(new TokenService(loadSecret(dataDir)).verify(trainerToken, lecture.id)).resolves.toMatchObject({ role: 'trainer' });
    } finally {
      await kill(second, 'SIGTERM');
    }
  });
});
