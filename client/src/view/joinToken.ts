/**
 * Which join token a page connects with. The link's `?token=` wins; a reload without it uses the
 * token kept in sessionStorage for the lecture. An attendee of the shared link gets a personal
 * token on join: it replaces the kept one, remembering which link it came from, so reloading
 * that same link keeps the person's identity instead of making them someone new.
 */

export interface KeptToken {
  /** The token to connect with. */
  token: string;
  /** The `?token=` of the link it came from (null: unknown). */
  from: string | null;
  /** A personal token given on join: the person's name is in it, no need to ask again. */
  personal: boolean;
}

export const tokenKey = (lectureId: string) => `teleclass.token.${lectureId}`;

/** The token to use, from the link's token (null: none in the address) and the kept one. */
export function chooseToken(linkToken: string | null, kept: KeptToken | null): KeptToken | null {
  const link = linkToken?.trim() || null;
  if (link === null) return kept;
  if (kept && kept.from === link) return kept;
  return { token: link, from: link, personal: false };
}

/** The kept token after the server gave a personal one. */
export function withPersonalToken(current: KeptToken | null, token: string): KeptToken {
  return { token, from: current?.from ?? null, personal: true };
}

/** A kept token read back from storage (anything malformed is ignored). */
export function parseKept(raw: string | null): KeptToken | null {
  if (!raw) return null;
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null) return null;
    const { token, from, personal } = value as Record<string, unknown>;
    if (typeof token !== 'string' || token === '') return null;
    return { token, from: typeof from === 'string' ? from : null, personal: personal === true };
  } catch {
    return null;
  }
}
