// `npm run budget`: builds the client, starts a server (temp folders, 127.0.0.1) and Chromium,
// measures the watch and kiosk pages on the weak link (scripts/pageLoad.ts) and prints the
// README's table. Exits 1 when a page's JavaScript or its load time is over the budget.
// BUDGET_RUNS (2): loads of each kind per page; the fastest counts.
import { measureOnOwnServer } from './budgetPages.js';
import { BUDGET, formatPageFigures } from './pageLoad.js';

const pages = await measureOnOwnServer(Number(process.env['BUDGET_RUNS'] ?? 2));
console.log(formatPageFigures(pages));
for (const p of pages) console.log(`\n${p.name}: ${p.weak.js.map((f) => `${f.path} ${f.bytes} B ${f.encoding}`).join(', ')}`);
const over = pages.filter((p) => p.weak.jsBytes > BUDGET.jsBytes || p.weak.loadMs > BUDGET.loadMs);
console.log(over.length === 0 ? '\nwithin the budget' : `\nOVER the budget: ${over.map((p) => p.name).join(', ')}`);
process.exit(over.length === 0 ? 0 : 1);
