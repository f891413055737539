// `npm run bench`: BENCH_MAX_VIEWERS (400), BENCH_STEP_SECONDS (10), BENCH_WORKERS (cores),
// BENCH_SETTLE_SECONDS (2), BENCH_CONCURRENCY (4), BENCH_COUNTERS (1),
// BENCH_WEBRTC_SAMPLE (6 Chromium attendees after the bulk steps; 0: none), BENCH_PAGES (1: the
// watch and kiosk pages on a weak link, scripts/pageLoad.ts; 0: none), BENCH_WEAK_LINK (1: a viewer
// behind 400 kbit/s with 3 % loss, bench/weakLink.ts; 0: none), BENCH_CLUSTER (1: the cluster run,
// bench/cluster.ts; 0: none) and BENCH_CLUSTER_VIEWERS (1,10,40 per edge) adjust it.
// BENCH_KNEE (1; 0 = skip) runs the one-pinned-worker knee first (bench/knee.ts: BENCH_KNEE_*);
// BENCH_FANOUT (1; 0 = the knee alone) then the fan-out run and the rest.
// BENCH_JOIN=1 runs only the join measurement (bench/joinBench.ts: BENCH_JOIN_*) and stops.
import { defaultOptions, formatSteps, formatTable, runBench } from './bench.js';

if (process.env['BENCH_JOIN'] === '1') {
  const { formatJoinBench, runJoinBench, writeJoinBench } = await import('./joinBench.js');
  const j = await runJoinBench();
  console.log(`\n${formatJoinBench(j)}\n\nwritten to ${writeJoinBench(j, defaultOptions().resultsDir)}`);
  process.exit(0);
}

if (process.env['BENCH_KNEE'] !== '0') {
  const { runKneeFromEnv } = await import('./knee.js');
  await runKneeFromEnv(defaultOptions().resultsDir);
  if (process.env['BENCH_FANOUT'] === '0') process.exit(0);
  console.log('\nThe fan-out run (every worker, doubling steps):');
}
const { result, file } = await runBench();
console.log(`\n${result.machine.cpus} × ${result.machine.model}, Node ${result.machine.node}, mediasoup ${result.machine.mediasoup}\n`);
console.log(formatSteps(result));
console.log('');
console.log(formatTable(result));
console.log(`\nwritten to ${file}`);
if (process.env['BENCH_PAGES'] !== '0') {
  const { measureOnOwnServer } = await import('../scripts/budgetPages.js');
  const { formatPageFigures } = await import('../scripts/pageLoad.js');
  console.log(`\nPages on a 1.6 Mbit/s, 150 ms link (npm run budget):\n${formatPageFigures(await measureOnOwnServer())}`);
}
if (process.env['BENCH_WEAK_LINK'] !== '0') console.log(`\n${await (await import('./weakLink.js')).weakLinkReport()}`);
if (process.env['BENCH_CLUSTER'] !== '0') {
  const { runClusterBench } = await import('./cluster.js');
  console.log('');
  await runClusterBench((line) => console.log(line), Number(process.env['BENCH_STEP_SECONDS']) || 10);
}
process.exit(0);
