/** Display names from addresses and forms. */
import { displayNameSchema } from '@teleclass/shared';

/** A valid display name from `raw`, or `fallback` (used for `?name=` of kiosk and studio). */
export function nameOr(raw: string | null | undefined, fallback: string): string {
  const parsed = displayNameSchema.safeParse(raw ?? '');
  return parsed.success ? parsed.data : fallback;
}

/** Checks a typed name: the trimmed name, or the sentence explaining what is wrong. */
export function checkName(raw: string): { ok: true; name: string } | { ok: false; message: string } {
  const parsed = displayNameSchema.safeParse(raw);
  if (parsed.success) return { ok: true, name: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, message: issue ? `Your name: ${issue.message}.` : 'Please type your name.' };
}
