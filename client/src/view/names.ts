/**
 * Display names from addresses and forms, checked as the server's displayNameSchema checks them
 * (shared/src/limits.ts, without zod: client/test/sharedChecks.test.ts holds the two together).
 */
import { DISPLAY_NAME_MAX_LENGTH, displayNameOf } from '@teleclass/shared/limits';
import type { TFunction } from 'i18next';

/** A valid display name from `raw`, or `fallback` (used for `?name=` of kiosk and studio). */
export function nameOr(raw: string | null | undefined, fallback: string): string {
  return displayNameOf(raw ?? '') ?? fallback;
}

/** Checks a typed name: the trimmed name, or the sentence (in the reader's language) explaining what is wrong. */
export function checkName(raw: string, t: TFunction): { ok: true; name: string } | { ok: false; message: string } {
  const name = displayNameOf(raw);
  if (name !== null) return { ok: true, name };
  if (raw.trim() === '') return { ok: false, message: t('watch.nameNeeded') };
  const reason = raw.trim().length > DISPLAY_NAME_MAX_LENGTH ? t('watch.nameTooLong') : t('watch.nameControl');
  return { ok: false, message: t('watch.nameInvalid', { reason }) };
}
