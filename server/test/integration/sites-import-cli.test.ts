// `npm run sites:import -- <file>` as an operator runs it: the 18 centres of ops/sites.example.json
// registered in DATA_DIR's store, nothing changed the second time, a bad file or no file refused.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/config.js';
import { openStore } from '../../src/store/openStore.js';
import { tempDir } from '../helpers.js';

function runImport(dataDir: string, ...args: string[]) {
  const env = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', DATA_DIR: dataDir };
  const out = spawnSync('npm', ['run', '--silent', 'sites:import', '--', ...args], { cwd: REPO_ROOT, env, encoding: 'utf8', timeout: 60_000 });
  return { code: out.status, stdout: out.stdout, stderr: out.stderr };
}

describe('npm run sites:import', () => {
  it('registers the 18 centres once, idempotently, and refuses what is not a site list', async () => {
    const dataDir = tempDir('sites-import');
    const example = path.join(REPO_ROOT, 'ops', 'sites.example.json');
    const first = runImport(dataDir, example);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^created Ganja 1 \(ganja-1-[a-z0-9]{6}\)$/m);
    expect(first.stdout).toMatch(/^18 site\(s\) created, 0 already registered$/m);

    const again = runImport(dataDir, example);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^0 site\(s\) created, 18 already registered$/m);

    const store = await openStore(dataDir);
    try {
      const sites = await store.listSites();
      expect(sites).toHaveLength(18);
      expect(sites.find((s) => s.name === 'Nakhchivan 2')?.region).toBe('Nakhchivan');
    } finally {
      await store.close();
    }

    const bad = path.join(dataDir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ sites: [{ title: 'no name' }] }));
    const refused = runImport(dataDir, bad);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/is not a site list: sites\.0\.name/);
    const usage = runImport(dataDir);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/usage: npm run sites:import/);
  }, 120_000);
});
