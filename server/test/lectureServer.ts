// One real server per test file (2 workers, loopback only) and the participants a test opens;
// after each test every participant leaves and every lecture must close.
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startServer, type RunningServer } from '../src/server.js';
import { TestPeer } from './peer.js';
import { testConfig, testLogger, waitFor } from './helpers.js';

export function useLectureServer(overrides: Record<string, string> = { MEDIASOUP_WORKERS: '2' }) {
  let server: RunningServer | undefined;
  const peers: TestPeer[] = [];
  beforeAll(async () => {
    server = await startServer(testConfig(overrides), testLogger());
  });
  afterEach(async () => {
    for (const p of peers.splice(0)) p.close();
    await waitFor(() => server!.registry.size === 0, 5000, 'every lecture to close');
  });
  afterAll(async () => server?.close());
  return {
    get server(): RunningServer {
      if (!server) throw new Error('the server is not started yet');
      return server;
    },
    /** A participant connecting with `token` (closed after the test). */
    peer(token: string | undefined, auth?: Record<string, string>): TestPeer {
      const p = new TestPeer(this.server.url, this.server.certificate, token, auth);
      peers.push(p);
      return p;
    },
  };
}
