// Attendance through the real join path survives SIGKILL of the server process: the person's
// session is closed at its last heartbeat ('server-restart'), and coming back opens a new one.
import { afterAll, describe, expect, it } from 'vitest';
import { E2E_ADMIN_TOKEN, ServerProcess } from '../../../e2e/serverProcess.js';
import { httpsRequest } from '../helpers.js';
import { TestPeer } from '../peer.js';

let server: ServerProcess | undefined;
afterAll(async () => server?.stop());

describe('attendance across a server restart', () => {
  it('keeps the person, records the gap', async () => {
    server = await ServerProcess.create({ MEDIASOUP_WORKERS: '1' });
    await server.start();
    const ca = server.certificate;
    const url = `https://127.0.0.1:${server.port}`; // Node may resolve localhost to ::1; the server listens on IPv4
    const created = await httpsRequest('POST', `${url}/api/lectures`, {
      ca, token: E2E_ADMIN_TOKEN,
      body: { title: 'Restart', scheduledStart: new Date().toISOString(), trainerName: 'Aygün', sites: ['Ganja'] },
    });
    expect(created.status, created.body).toBe(201);
    const id = created.json.lecture.id as string;
    const siteToken = new URL(created.json.links.sites[0].url as string).searchParams.get('token')!;

    const before = new TestPeer(url, ca, siteToken);
    await before.join();
    await server.kill();
    before.close();

    await server.start();
    const after = new TestPeer(url, ca, siteToken);
    await after.join();
    const attendance = await httpsRequest('GET', `${url}/api/lectures/${id}/attendance`, { ca, token: E2E_ADMIN_TOKEN });
    expect(attendance.status).toBe(200);
    const records = attendance.json.records as { name: string; leftAt: number | null; leftReason: string | null }[];
    const ganja = records.filter((r) => r.name === 'Ganja');
    expect(ganja).toHaveLength(2);
    expect(ganja.map((r) => r.leftReason).sort()).toEqual(['server-restart', null].sort());
    expect(attendance.json.perPerson.find((p: { name: string }) => p.name === 'Ganja').sessions).toBe(2);
    after.close();
  }, 90_000);
});
