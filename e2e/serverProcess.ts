// The real server as a child process (`node --import tsx server/src/main.ts`), so tests can kill
// it with SIGKILL and start it again on the same port, data and certificate. Spawning and waiting
// for it to listen: server/test/fixtures/process.ts (shared with the cluster's nodes and Redis).
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, LISTENING, TestProcess } from '../server/test/fixtures/process.js';
import { spawnMain } from '../server/test/helpers.js';

export const E2E_ADMIN_TOKEN = 'e2e-admin-token-0123456789abcdef';

export class ServerProcess {
  readonly #process = new TestProcess('server');
  readonly dataDir = mkdtempSync(path.join(os.tmpdir(), 'teleclass-e2e-data-'));
  readonly certsDir = mkdtempSync(path.join(os.tmpdir(), 'teleclass-e2e-certs-'));

  private constructor(
    readonly port: number,
    readonly env: Record<string, string>,
  ) {}

  static async create(env: Record<string, string> = {}): Promise<ServerProcess> {
    return new ServerProcess(await freePort(), env);
  }

  get url(): string {
    return `https://localhost:${this.port}`;
  }

  get pid(): number | undefined {
    return this.#process.pid;
  }

  /** The output of the current (or last) start. */
  get log(): string {
    return this.#process.log;
  }

  get certificate(): Buffer {
    return readFileSync(path.join(this.certsDir, 'teleclass-dev-cert.pem'));
  }

  /** Starts the server and resolves once it listens (its JSON log says so). */
  async start(timeoutMs = 30_000): Promise<void> {
    const child = spawnMain({
      HOST: '127.0.0.1',
      PORT: String(this.port),
      RTC_LISTEN_IP: '127.0.0.1',
      RTC_PORT: '0',
      RTC_MIN_PORT: '35000',
      RTC_MAX_PORT: '36999',
      DATA_DIR: this.dataDir,
      CERTS_DIR: this.certsDir,
      ADMIN_TOKEN: E2E_ADMIN_TOKEN,
      LOG_LEVEL: 'info',
      ...this.env,
    });
    await this.#process.start(child, (log) => log.includes(LISTENING), timeoutMs);
  }

  /** SIGKILL: no clean-up at all, as a power cut or a crash. */
  kill(): Promise<void> {
    return this.#process.kill();
  }

  /** SIGTERM: a clean stop; resolves once it exited. */
  async stop(): Promise<void> {
    await this.#process.terminate();
  }
}
