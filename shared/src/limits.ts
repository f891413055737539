/**
 * The protocol's limits and fixed names, and the checks the pages make before sending, without
 * zod (`@teleclass/shared/limits`): the watch and kiosk pages import this, not the schemas
 * (README, "Weak connections"). The schemas in domain.ts are built from the same constants, and
 * client/test/sharedChecks.test.ts checks with fast-check that both accept and refuse the same.
 */

/** The longest chat message, in UTF-16 units as JavaScript counts them. */
export const CHAT_MAX_LENGTH = 1000;

/** The participant id a studio feed's streams carry (it is no participant: no socket, no hand). */
export const FEED_PEER_ID = 'studio-feed';

/** A display name: 1 to 60 characters once trimmed, no control characters. */
export const DISPLAY_NAME_MAX_LENGTH = 60;
export const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

/** A lecture id (and a site id): a slug such as `demo` or `budget-law-2026-11`. */
export const LECTURE_ID_MAX_LENGTH = 64;
export const LECTURE_ID_PATTERN = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

/** The display name `raw` stands for (trimmed), or null when `displayNameSchema` would refuse it. */
export function displayNameOf(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const name = raw.trim();
  return name.length >= 1 && name.length <= DISPLAY_NAME_MAX_LENGTH && !CONTROL_CHARACTER.test(name) ? name : null;
}

/** Whether `value` is a lecture id (or a site id): what `lectureIdSchema` accepts. */
export function isLectureId(value: unknown): value is string {
  return typeof value === 'string' && value.length >= 1 && value.length <= LECTURE_ID_MAX_LENGTH && LECTURE_ID_PATTERN.test(value);
}
