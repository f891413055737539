/**
 * When to try the server again after the connection was lost (a network cut, a server that
 * crashed or restarts). As LiveKit's client: the first try at once, the second 300 ms later,
 * jittered, so a blip costs nothing; then every 0.5–1 s (random, so a building full of kiosks
 * does not come back in lockstep) for the first minute, so a page notices a restarted server
 * within about a second of it listening; after that every 2.5–5 s. Pure: tested without a socket.
 */

/** The first tries: at once, then after 300 ms (each with up to 100 ms of jitter after the first). */
export const FIRST_DELAYS_MS = [0, 300] as const;
/** While the connection has been lost for less than this, tries stay fast. */
export const FAST_WINDOW_MS = 60_000;
/** Fast tries: a random delay in this range (mean 0.75 s: a restarted server is seen ≤ 1 s after it listens). */
export const FAST_DELAY_MS = { min: 500, max: 1_000 } as const;
/** After the fast window: a random delay in this range (a long outage costs the server little). */
export const SLOW_DELAY_MS = { min: 2_500, max: 5_000 } as const;
const FIRST_JITTER_MS = 100;

/**
 * The wait before try number `attempt` (0 for the first after the loss), `lostForMs` after the
 * connection was lost; `random` in [0, 1).
 */
export function reconnectDelayMs(attempt: number, lostForMs: number, random: () => number = Math.random): number {
  const first = FIRST_DELAYS_MS[attempt];
  if (first !== undefined) return first === 0 ? 0 : first + Math.floor(random() * FIRST_JITTER_MS);
  const range = lostForMs < FAST_WINDOW_MS ? FAST_DELAY_MS : SLOW_DELAY_MS;
  return Math.round(range.min + random() * (range.max - range.min));
}
