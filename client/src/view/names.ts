/** Display names from addresses and forms. */
import { displayNameSchema } from '@teleclass/shared';
import type { TFunction } from 'i18next';

/** A valid display name from `raw`, or `fallback` (used for `?name=` of kiosk and studio). */
export function nameOr(raw: string | null | undefined, fallback: string): string {
  const parsed = displayNameSchema.safeParse(raw ?? '');
  return parsed.success ? parsed.data : fallback;
}

/** Checks a typed name: the trimmed name, or the sentence (in the reader's language) explaining what is wrong. */
export function checkName(raw: string, t: TFunction): { ok: true; name: string } | { ok: false; message: string } {
  const parsed = displayNameSchema.safeParse(raw);
  if (parsed.success) return { ok: true, name: parsed.data };
  if (raw.trim() === '') return { ok: false, message: t('watch.nameNeeded') };
  const reason = raw.trim().length > 60 ? t('watch.nameTooLong') : t('watch.nameControl');
  return { ok: false, message: t('watch.nameInvalid', { reason }) };
}
