/** The room across nodes (roomLink.ts): its timings. */

/** How often each open room asks Redis which node is its origin. */
export const ROOM_POLL_MS = 1_000;
/** Deadline of a request about the room to another node (a presence change is tried twice). */
export const ROOM_REQUEST_TIMEOUT_MS = 2_000;
/** How often the origin tells each edge the number of its room's state (an edge behind asks again). */
export const ROOM_DIGEST_MS = 2_000;
/** An edge that heard nothing from its origin for this long registers again (the origin restarted with the same NODE_ID). */
export const ROOM_SILENCE_MS = 3 * ROOM_DIGEST_MS;
