import { useCallback, useState } from 'react';
import { useSearchParams } from 'react-router';
import { chooseToken, parseKept, tokenKey, withPersonalToken, type KeptToken } from '../view/joinToken.js';

function read(lectureId: string): KeptToken | null {
  try {
    return parseKept(sessionStorage.getItem(tokenKey(lectureId)));
  } catch {
    return null;
  }
}

function write(lectureId: string, kept: KeptToken): void {
  try {
    sessionStorage.setItem(tokenKey(lectureId), JSON.stringify(kept));
  } catch {
    // Private mode: a reload then needs the link again.
  }
}

export interface JoinToken {
  /** The token chosen when the page opened (null: no link token and none kept). */
  initial: KeptToken | null;
  /** The token to use now (a personal one may have been kept since). */
  current(): KeptToken | null;
  /** Keeps the personal token the server gave on join. */
  remember(token: string): void;
}

/** The join token of a lecture page: the link's `?token=`, or the one kept for this tab. */
export function useJoinToken(lectureId: string | null): JoinToken {
  const [params] = useSearchParams();
  const linkToken = params.get('token');
  const [initial] = useState<KeptToken | null>(() => {
    if (!lectureId) return null;
    const chosen = chooseToken(linkToken, read(lectureId));
    if (chosen) write(lectureId, chosen);
    return chosen;
  });
  const current = useCallback(() => (lectureId ? chooseToken(linkToken, read(lectureId)) : null), [lectureId, linkToken]);
  const remember = useCallback(
    (token: string) => {
      if (lectureId) write(lectureId, withPersonalToken(chooseToken(linkToken, read(lectureId)), token));
    },
    [lectureId, linkToken],
  );
  return { initial, current, remember };
}
