// Creating a lecture on a server child process (ServerProcess) through the admin API over HTTPS,
// and the live lecture the crash and recovery tests start from (a trainer on air, a kiosk watching).
import https from 'node:https';
import type { Browser, Page } from 'playwright-core';
import { expectVideoPlays, newPage } from './browser.js';
import { E2E_ADMIN_TOKEN, type ServerProcess } from './serverProcess.js';

export interface CreatedLecture {
  lecture: { id: string };
  links: { trainer: string; sites: { site: string; url: string }[]; attendee: string };
}

/** POST /api/lectures (the links are built from the Host: localhost:<port>). */
export function createLectureOver(
  server: ServerProcess,
  title: string,
  extra: Record<string, unknown> = {},
): Promise<CreatedLecture> {
  const body = JSON.stringify({ title, scheduledStart: new Date().toISOString(), trainerName: 'Aysel', sites: ['Ganja'], ...extra });
  return new Promise((resolve, reject) => {
    const req = https.request(
      `${server.url}/api/lectures`,
      {
        method: 'POST',
        ca: server.certificate,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${E2E_ADMIN_TOKEN}` },
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => (res.statusCode === 201 ? resolve(JSON.parse(text) as CreatedLecture) : reject(new Error(`${res.statusCode}: ${text}`))));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A lecture on air: the trainer's page live with its fake camera, one classroom kiosk playing it. */
export async function openLiveLecture(server: ServerProcess, browser: Browser, title: string): Promise<{ trainer: Page; site: Page }> {
  const { links } = await createLectureOver(server, title);
  const trainer = await newPage(browser, 'trainer');
  await trainer.goto(links.trainer);
  await expectVideoPlays(trainer, 'studio-preview');
  await trainer.getByTestId('go-live').click();
  await trainer.locator('[data-testid="lecture-state"][data-state="live"]').first().waitFor({ timeout: 20_000 });
  const site = await newPage(browser, 'site');
  await site.goto(links.sites[0]!.url);
  await expectVideoPlays(site, 'lecture-video');
  return { trainer, site };
}
