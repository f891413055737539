// What the survivors' clean-up of dead nodes costs the shared PostgreSQL (README: Failure, a node
// that stays dead): every node runs `staleNodes` every 2 s, every attendance heartbeat carries the
// re-open check of a node back from a cut-off, and a dead node's sessions are closed in one
// UPDATE. Run: `node --import tsx bench/deadNodes.ts` (starts its own PostgreSQL in a temp folder,
// as the tests do). Prints the plan of the sweep's query (it must use the partial indexes
// attendance_open_by_node / recordings_running_by_node, not scan the attendance table) and the
// mean time of each operation on a table of 202 000 sessions over 8 nodes.
import { queryDatabase, startPostgres } from '../server/test/fixtures/postgres.js';
import { openPostgresStore } from '../server/src/store/postgres.js';

const SESSIONS = 202_000;
const OPEN = 2_000;
const NODES = 8;
const ROUNDS = 200;

const pg = await startPostgres();
try {
  const url = await pg.createDatabase();
  const survivor = await openPostgresStore(url, { node: 'baku-1', poolSize: 4 });
  const lecture = await survivor.createLecture({ title: 'L', scheduledStart: new Date().toISOString(), trainerName: 'T', sites: [] });
  const T = Date.now() - 3_600_000;
  await queryDatabase(
    url,
    `INSERT INTO attendance (id, lecture_id, identity, role, name, site, joined_at, left_at, left_reason, last_seen_at, node_id)
     SELECT md5(g::text), $1, 'attendee:' || g, 'attendee', 'A', NULL, $2::bigint + g,
            CASE WHEN g <= $3 THEN $2::bigint + g + 1000 ELSE NULL END, CASE WHEN g <= $3 THEN 'left' ELSE NULL END,
            $2::bigint + g, 'node-' || (g % $4) FROM generate_series(1, $5) g`,
    [lecture.id, T, SESSIONS - OPEN, NODES, SESSIONS],
  );
  // node-0 is dead (its mark an hour old); the others are alive.
  for (let n = 0; n < NODES; n++) await queryDatabase(url, 'INSERT INTO node_alive (node_id, alive_at) VALUES ($1, $2)', [`node-${n}`, n === 0 ? T : Date.now()]);
  await queryDatabase(url, 'ANALYZE');
  const plan = await queryDatabase<{ 'QUERY PLAN': string }>(
    url,
    `EXPLAIN SELECT n.node_id FROM node_alive n WHERE n.node_id <> 'baku-1' AND n.alive_at < $1
       AND (EXISTS (SELECT 1 FROM attendance a WHERE a.node_id = n.node_id AND a.left_at IS NULL)
         OR EXISTS (SELECT 1 FROM recordings r WHERE r.node_id = n.node_id AND r.status = 'recording'))`,
    [Date.now() - 15_000],
  );
  console.log(plan.map((r) => r['QUERY PLAN']).join('\n'));

  let t0 = performance.now();
  for (let i = 0; i < ROUNDS; i++) await survivor.staleNodes(Date.now() - 15_000);
  console.log(`DEADNODES sweep (staleNodes): ${((performance.now() - t0) / ROUNDS).toFixed(2)} ms mean of ${ROUNDS} (${SESSIONS} sessions, ${NODES} nodes, ${OPEN / NODES} open on the dead one)`);

  const live = await openPostgresStore(url, { node: 'node-1', poolSize: 4 });
  const ids = (await queryDatabase<{ id: string }>(url, "SELECT id FROM attendance WHERE node_id = 'node-1' AND left_at IS NULL")).map((r) => r.id);
  t0 = performance.now();
  for (let i = 0; i < ROUNDS; i++) await live.touchAttendance(ids, Date.now());
  console.log(`DEADNODES heartbeat (touchAttendance with the re-open check) of ${ids.length} people: ${((performance.now() - t0) / ROUNDS).toFixed(2)} ms mean of ${ROUNDS}`);

  t0 = performance.now();
  const closed = await survivor.closeDeadNode('node-0', Date.now() - 15_000, 5_000);
  console.log(`DEADNODES clean-up (closeDeadNode) of ${closed.sessions} open sessions: ${(performance.now() - t0).toFixed(1)} ms`);
  await live.close();
  await survivor.close();
} finally {
  await pg.stop();
}
