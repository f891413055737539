/** The admin token: from the address's `#token=…` (then kept and the hash cleared), or typed. */

export const ADMIN_TOKEN_KEY = 'teleclass.adminToken';

/** The token in a location hash such as `#token=abc` (null when there is none). */
export function tokenFromHash(hash: string): string | null {
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  const token = params.get('token')?.trim();
  return token ? token : null;
}

export function readAdminToken(): string | null {
  try {
    return localStorage.getItem(ADMIN_TOKEN_KEY);
  } catch {
    return null;
  }
}

export function keepAdminToken(token: string | null): void {
  try {
    if (token) localStorage.setItem(ADMIN_TOKEN_KEY, token);
    else localStorage.removeItem(ADMIN_TOKEN_KEY);
  } catch {
    // Private mode: the token is typed again next time.
  }
}

/** Takes the token out of the address bar (it must not stay in the history or be shared). */
export function adoptTokenFromHash(): string | null {
  if (typeof window === 'undefined') return null;
  const token = tokenFromHash(window.location.hash);
  if (!token) return null;
  keepAdminToken(token);
  window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
  return token;
}
