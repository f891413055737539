// `npm run bench`, the weak-link rows (issue 17 item 4): the same constrained viewer as
// e2e/weak-link.test.ts — an attendee's Chromium in a network namespace, 400 kbit/s and 3 % UDP
// loss towards it — measured from its own RTCPeerConnection: bytes per second of each medium on the
// open link, under the limit once the lecture's priority has settled, and after the limit is
// lifted, with the time the camera takes to come back. Needs root (BENCH_WEAK_LINK=0 leaves it out).
import { ConstrainedLink } from '../e2e/constrainedLink.js';
import { audioWindow, cameraBack, heldBack, rates, settledSteps, WeakLinkLecture } from '../e2e/weakLinkScenario.js';

const SHAPE = { rateKbit: 400, lossPct: 3, latencyMs: 300 } as const;

const kbit = (bps: number) => `${(bps / 1000).toFixed(0).padStart(5)} kbit/s`;
const kB = (bps: number) => `${(bps / 8 / 1000).toFixed(1).padStart(5)} kB/s`;

/** The rows, as printed (or why there are none on this machine). */
export async function weakLinkReport(): Promise<string> {
  const unavailable = await ConstrainedLink.unavailable();
  if (unavailable) return `Weak link: not measured (${unavailable})`;
  const lecture = await WeakLinkLecture.start();
  try {
    const row = (name: string, r: ReturnType<typeof rates>, extra = '') =>
      `| ${name.padEnd(22)} | ${kB(r.audioBps)} | ${kB(r.cameraBps)} | ${kB(r.slidesBps)} | ${r.audioLossPct.toFixed(1).padStart(4)} % | ${extra}`;
    const rows = ['| viewer link            | sound      | camera     | slides     | sound lost | step, estimate', '| --- | --- | --- | --- | --- | --- |'];
    const open = rates(...(await audioWindow(lecture, 250, 60_000)));
    rows.push(row('open', open, `${lecture.priority().step}, ${kbit(lecture.priority().estimateBps ?? 0)}`));

    await lecture.link.limit(SHAPE);
    const limitedAt = Date.now();
    await heldBack(lecture, 60_000);
    const steps = await settledSteps(lecture, 5_000, 90_000);
    const settledMs = Date.now() - limitedAt - 5_000;
    const weak = rates(...(await audioWindow(lecture, 500, 60_000)));
    const p = lecture.priority();
    rows.push(row(`${SHAPE.rateKbit} kbit/s, ${SHAPE.lossPct} % loss`, weak, `${steps.join(' → ')} (settled in ${(settledMs / 1000).toFixed(1)} s), ${kbit(p.estimateBps ?? 0)}`));

    await lecture.link.lift();
    const liftedAt = Date.now();
    const backMs = await cameraBack(lecture, liftedAt, 60_000);
    const after = rates(...(await audioWindow(lecture, 250, 60_000)));
    rows.push(row('lifted', after, `${lecture.priority().step}, ${kbit(lecture.priority().estimateBps ?? 0)}`));
    return [
      `Weak link: an attendee behind ${SHAPE.rateKbit} kbit/s (tc tbf, ${SHAPE.latencyMs} ms queue) with ${SHAPE.lossPct} % random UDP loss (nftables), trainer sending camera (simulcast), microphone and slides`,
      ...rows,
      `camera back ${(backMs / 1000).toFixed(1)} s after the limit was lifted`,
    ].join('\n');
  } finally {
    await lecture.close();
  }
}
