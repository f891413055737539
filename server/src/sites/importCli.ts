/**
 * `npm run sites:import -- <file>`: registers the sites of a JSON file (`{ "sites": [{ "name",
 * "region"? }] }`, e.g. ops/sites.example.json with the 18 centres) in the store of DATA_DIR.
 * Names already registered (in any case) are skipped, so running it twice changes nothing. The
 * server may be running: SQLite lets both write. Kiosk links are on the admin page.
 */
import { readFileSync } from 'node:fs';
import { importSitesRequestSchema } from '@teleclass/shared';
import { parseConfig } from '../config.js';
import { openStore } from '../store/openStore.js';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: npm run sites:import -- <file.json>   (e.g. ops/sites.example.json)\n');
  process.exit(2);
}
const parsed = importSitesRequestSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
if (!parsed.success) {
  process.stderr.write(`${file} is not a site list: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}\n`);
  process.exit(1);
}
const store = await openStore(parseConfig());
try {
  const taken = new Set((await store.listSites()).map((s) => s.name.toLocaleLowerCase('en-US')));
  let created = 0;
  for (const site of parsed.data.sites) {
    if (taken.has(site.name.toLocaleLowerCase('en-US'))) continue;
    taken.add(site.name.toLocaleLowerCase('en-US'));
    const record = await store.createSite(site);
    process.stdout.write(`created ${record.name} (${record.id})\n`);
    created++;
  }
  process.stdout.write(`${created} site(s) created, ${parsed.data.sites.length - created} already registered\n`);
} finally {
  await store.close();
}
