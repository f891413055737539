import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADMIN_TOKEN_FILE, JWT_SECRET_FILE, loadAdminToken, loadSecret, SecretError } from '../../src/auth/secret.js';
import { TokenService } from '../../src/auth/tokens.js';
import { tempDir } from '../helpers.js';

describe('secrets kept in DATA_DIR', () => {
  it('generates a JWT secret on first start (32 bytes, base64url, mode 0600) and reuses it', () => {
    const dir = path.join(tempDir('secret'), 'data');
    const first = loadSecret(dir);
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const file = path.join(dir, JWT_SECRET_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(first);
    expect(loadSecret(dir)).toBe(first);
  });

  it('tokens signed before a restart verify after it', async () => {
    const dir = tempDir('secret');
    const token = await new TokenService(loadSecret(dir)).sign(
      { lectureId: 'law-abc123', role: 'trainer', identity: 'trainer' },
      new Date(Date.now() + 60_000),
    );
    await expect(new TokenService(loadSecret(dir)).verify(token)).resolves.toMatchObject({ role: 'trainer' });
  });

  it('JWT_SECRET from the configuration wins and writes no file', () => {
    const dir = tempDir('secret');
    expect(loadSecret(dir, 'x'.repeat(40))).toBe('x'.repeat(40));
    expect(existsSync(path.join(dir, JWT_SECRET_FILE))).toBe(false);
  });

  it('generates an admin token (24 bytes, base64url, 0600), says where it came from, and reuses it', () => {
    const dir = tempDir('secret');
    const first = loadAdminToken(dir);
    expect(first.source).toBe('generated');
    expect(first.value).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(first.file).toBe(path.join(dir, ADMIN_TOKEN_FILE));
    expect(statSync(first.file!).mode & 0o777).toBe(0o600);
    expect(loadAdminToken(dir)).toEqual({ ...first, source: 'file' });
    expect(loadAdminToken(dir, 'configured-admin-token')).toEqual({ value: 'configured-admin-token', source: 'config' });
  });

  it('tightens a secret file readable by others to 0600', () => {
    const dir = tempDir('secret');
    writeFileSync(path.join(dir, ADMIN_TOKEN_FILE), 'an-admin-token-written-by-hand\n', { mode: 0o644 });
    expect(loadAdminToken(dir).value).toBe('an-admin-token-written-by-hand');
    expect(statSync(path.join(dir, ADMIN_TOKEN_FILE)).mode & 0o777).toBe(0o600);
  });

  it('a damaged secret file stops the start with code SECRET_FILE_INVALID (not silently replaced)', () => {
    const dir = tempDir('secret');
    writeFileSync(path.join(dir, JWT_SECRET_FILE), 'short\n', { mode: 0o600 });
    expect(() => loadSecret(dir)).toThrow(SecretError);
    expect(() => loadSecret(dir)).toThrow(expect.objectContaining({ code: 'SECRET_FILE_INVALID' }));
  });
});
