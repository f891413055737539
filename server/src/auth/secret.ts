/**
 * Server secrets that must survive a restart (links already sent out must keep working): taken
 * from the configuration, or generated once and kept in a file in DATA_DIR readable by the
 * server's user only (mode 0600).
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const JWT_SECRET_FILE = 'jwt-secret';
export const ADMIN_TOKEN_FILE = 'admin-token';

/** Shortest secret accepted from a file (the configuration has its own, equal, minimums). */
const MIN_LENGTH = { [JWT_SECRET_FILE]: 32, [ADMIN_TOKEN_FILE]: 16 } as const;

export type SecretErrorCode = 'SECRET_FILE_INVALID';

export class SecretError extends Error {
  override name = 'SecretError';
  constructor(
    readonly code: SecretErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface LoadedSecret {
  value: string;
  /** 'config': given in the environment; 'file': read from DATA_DIR; 'generated': created now. */
  source: 'config' | 'file' | 'generated';
  /** The file it is kept in (undefined when it came from the configuration). */
  file?: string;
}

/**
 * Reads `<dataDir>/<name>`, or creates it with `bytes` random bytes (base64url) when missing.
 * Creation is atomic and exclusive: two processes starting together end up with the same value.
 */
export function loadOrCreateSecretFile(dataDir: string, name: keyof typeof MIN_LENGTH, bytes: number): LoadedSecret {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, name);
  const existing = readSecretFile(file, MIN_LENGTH[name]);
  if (existing !== undefined) return { value: existing, source: 'file', file };

  const value = randomBytes(bytes).toString('base64url');
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temp, `${value}\n`, { mode: 0o600 });
  try {
    linkSync(temp, file); // fails with EEXIST when another process created it first
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return { value: readSecretFile(file, MIN_LENGTH[name])!, source: 'file', file };
  } finally {
    rmSync(temp, { force: true });
  }
  return { value, source: 'generated', file };
}

function readSecretFile(file: string, minLength: number): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const value = text.trim();
  if (value.length < minLength || !/^[\x21-\x7e]+$/.test(value)) {
    throw new SecretError(
      'SECRET_FILE_INVALID',
      `${file} must hold one line of at least ${minLength} printable characters; delete it to have a new one generated`,
    );
  }
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  return value;
}

/** The key that signs join tokens: JWT_SECRET, or 32 random bytes kept in `<dataDir>/jwt-secret`. */
export function loadSecret(dataDir: string, configured?: string): string {
  return configured ?? loadOrCreateSecretFile(dataDir, JWT_SECRET_FILE, 32).value;
}

/** The admin API's bearer token: ADMIN_TOKEN, or 24 random bytes kept in `<dataDir>/admin-token`. */
export function loadAdminToken(dataDir: string, configured?: string): LoadedSecret {
  return configured !== undefined ? { value: configured, source: 'config' } : loadOrCreateSecretFile(dataDir, ADMIN_TOKEN_FILE, 24);
}
