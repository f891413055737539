// The whole server on PostgreSQL (DATABASE_URL), as a cluster node runs: a lecture made through
// the admin API, a trainer and a classroom joining over real sockets, chat, removal; a clean
// shutdown writes every queued attendance write before the store closes; a second server on the
// same database (another node, or the next start) finds everything.
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server.js';
import { usePostgres } from '../fixtures/postgres.js';
import { testConfig, testLogger, waitFor } from '../helpers.js';
import { createTestLecture } from '../lectures.js';
import { TestPeer } from '../peer.js';

describe('the server on PostgreSQL', () => {
  const postgres = usePostgres();

  it('serves a lecture from the shared database and loses nothing across a shutdown', async () => {
    const url = await postgres().createDatabase();
    // Nodes of a cluster share the database and the link-signing secret (each has its own DATA_DIR).
    const node = () => testConfig({ MEDIASOUP_WORKERS: '1', DATABASE_URL: url, JWT_SECRET: 'cluster-secret-0123456789abcdefghijklmnop' });
    const peers: TestPeer[] = [];
    let first: RunningServer | undefined = await startServer(node(), testLogger());
    let second: RunningServer | undefined;
    try {
      const l = await createTestLecture(first, { sites: ['Gəncə'] });
      const trainer = new TestPeer(first.url, first.certificate, l.trainer);
      const site = new TestPeer(first.url, first.certificate, l.site('Gəncə'));
      peers.push(trainer, site);
      await trainer.join();
      const joined = await site.join();
      await trainer.request('startLecture', {});
      const message = await site.request('sendChat', { text: 'Salam', question: true });
      await trainer.request('markAnswered', { messageId: message.id });
      await trainer.request('removeParticipant', { peerId: joined.self.id });

      // The rows are in PostgreSQL itself (not in the process).
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const chat = await client.query('SELECT text, is_question, answered_at FROM chat WHERE lecture_id = $1', [l.lecture.id]);
        expect(chat.rows).toEqual([{ text: 'Salam', is_question: true, answered_at: expect.any(String) }]);
        const removed = await client.query('SELECT identity FROM removals WHERE lecture_id = $1', [l.lecture.id]);
        expect(removed.rows).toEqual([{ identity: 'site:Gəncə' }]);
        const state = await waitFor(async () => {
          const r = await client.query<{ state: string }>('SELECT state FROM lectures WHERE id = $1', [l.lecture.id]);
          return r.rows[0]?.state === 'live' ? 'live' : undefined;
        }, 5000, 'the live state in the database');
        expect(state).toBe('live');
      } finally {
        await client.end();
      }

      // A clean shutdown with the trainer still there: its session's writes are all in before the store closes.
      await first.close();
      first = undefined;
      trainer.close();

      second = await startServer(node(), testLogger());
      const attendance = await second.store.listAttendance(l.lecture.id);
      expect(attendance.map((r) => [r.role, r.leftReason]).sort()).toEqual([
        ['site', 'removed'],
        ['trainer', 'disconnected'],
      ]);
      expect(await second.store.getLecture(l.lecture.id)).toMatchObject({ state: 'live', sites: ['Gəncə'] });
      expect((await second.store.listChat(l.lecture.id))[0]).toMatchObject({ text: 'Salam', isQuestion: true, answeredAt: expect.any(Number) });
      const again = new TestPeer(second.url, second.certificate, l.site('Gəncə'));
      peers.push(again);
      expect(await again.handshakeRefusal()).toBe('REMOVED');
    } finally {
      for (const p of peers) p.close();
      await first?.close();
      await second?.close();
    }
  });
});
