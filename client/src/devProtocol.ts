/**
 * The protocol's zod schemas, for development builds only (the vite dev server, vitest): there
 * the pages check the server's answers with them, as the admin API does (adminApi.ts,
 * `parseAnswer`). A production build trusts the answers (the server made them with the same
 * schemas) and ships neither the schemas nor zod: the dynamic import below sits behind
 * `import.meta.env.DEV`, which the build replaces by `false`, so it is dropped with its chunk and
 * the watch and kiosk pages stay within their byte budget (README, "Weak connections").
 * Pages import their runtime values from the zod-free `@teleclass/shared/errors`, `/limits` and
 * `/stored`, and only types from `@teleclass/shared`.
 */
export type Protocol = typeof import('@teleclass/shared');

let loaded: Protocol | null = null;
let loading: Promise<Protocol> | null = null;

/** Whether this build checks answers with the schemas (development builds and tests). */
export const checksAnswers = (): boolean => import.meta.env.DEV === true;

/**
 * The schemas, loaded once (every caller waits on the same promise, so answers waiting for them
 * are handled in the order they came); a production build rejects.
 */
export function protocolSchemas(): Promise<Protocol> {
  loading ??= import.meta.env.DEV
    ? import('@teleclass/shared').then((protocol) => (loaded = protocol))
    : Promise.reject(new Error('the protocol schemas are in development builds only'));
  return loading;
}

/** The schemas if protocolSchemas() has loaded them already, else null. */
export const loadedProtocol = (): Protocol | null => loaded;

interface Parser {
  parse(value: unknown): unknown;
}

/**
 * `body` parsed with the schema `pick` names (defaults filled in; a misfit throws) in development
 * builds, taken as it is in production builds.
 */
export async function parseInDev<S extends Parser>(body: unknown, pick: (protocol: Protocol) => S): Promise<ReturnType<S['parse']>> {
  if (!import.meta.env.DEV) return body as ReturnType<S['parse']>;
  return pick(await protocolSchemas()).parse(body) as ReturnType<S['parse']>;
}
