import type { TFunction } from 'i18next';
import type { SessionError } from '../media/errors.js';

/** The sentence for an error, in the reader's language (by its code; the English message as a last resort). */
export function errorText(t: TFunction, error: Pick<SessionError, 'code' | 'message'>): string {
  return t(`errors.${error.code}`, { defaultValue: error.message });
}

/** The second line of an error, when it has one (e.g. why someone was removed). */
export function errorDetail(t: TFunction, error: Pick<SessionError, 'detailKey' | 'detail'> | null | undefined): string {
  if (!error) return '';
  if (error.detailKey) return t(error.detailKey);
  return error.detail ?? '';
}
