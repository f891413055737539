/**
 * A site list file as `npm run sites:import` reads it (`{ "sites": [{ "name", "region"? }] }`, e.g.
 * ops/sites.example.json), checked with the same shared schema before it is sent.
 */
import { importSitesRequestSchema, type CreateSiteRequest } from '@teleclass/shared';

export type ParsedSiteList = { ok: true; sites: CreateSiteRequest[] } | { ok: false; problem: string };

export function parseSiteList(text: string): ParsedSiteList {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'not JSON' };
  }
  const parsed = importSitesRequestSchema.safeParse(json);
  if (!parsed.success) return { ok: false, problem: parsed.error.issues.map((i) => `${i.path.join('.') || 'file'}: ${i.message}`).join('; ') };
  return { ok: true, sites: parsed.data.sites };
}
