import type { Area } from './catalogs.js';

/**
 * The catalog areas each page (client/src/pages/<Page>.tsx) shows besides `lecture`, which every
 * page loads (catalogs.ts says where a key goes). The watch, classroom and kiosk pages — the ones
 * on the weak-link budget — load `lecture` alone. `client/test/catalogAreas.test.ts` checks that
 * every key a page's modules can show is in one of these areas.
 */
export const PAGE_AREAS = {
  Watch: [],
  Site: [],
  Kiosk: [],
  Studio: ['studio'],
  Admin: ['admin', 'recordings'],
  Recording: ['recordings'],
  Home: ['home'],
} as const satisfies Record<string, readonly Area[]>;
