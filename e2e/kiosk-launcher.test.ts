// The classroom PC's set-up (scripts/kiosk/): the launcher's flags and the enterprise policy file
// say the same things for the same origin, the autostart entry starts the launcher, and Debian's
// Chromium given the policy file (through a private mount namespace, /etc is never written) lets
// the Teleclass origin play sound and open camera and microphone without a click or a question,
// and no other origin.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../server/src/config.js';
import { createTestLecture } from '../server/test/lectures.js';
import { CHROMIUM } from './browser.js';
import { useServerAndBrowser } from './fixture.js';

const KIOSK = path.join(REPO_ROOT, 'scripts', 'kiosk');
const LAUNCHER = path.join(KIOSK, 'teleclass-kiosk.sh');
const POLICY_KEYS = ['AutoplayAllowlist', 'VideoCaptureAllowedUrls', 'AudioCaptureAllowedUrls'] as const;

const launcher = (...args: string[]) => execFileSync('bash', [LAUNCHER, ...args], { encoding: 'utf8', env: { ...process.env, HOME: os.tmpdir() } });
type Policy = Record<string, unknown>;
const temp = mkdtempSync(path.join(os.tmpdir(), 'teleclass-kiosk-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('the kiosk launcher and its policy file', () => {
  it('agree on the origin: autoplay, camera and microphone for the Teleclass server only', () => {
    const url = 'https://teleclass.school.az:8443/site/budget-law?token=abc.def';
    const flags = launcher('--print-flags', url).trim().split('\n');
    expect(flags.at(-1)).toBe(url);
    for (const flag of ['--kiosk', '--autoplay-policy=no-user-gesture-required', '--no-first-run', '--no-default-browser-check', '--disable-session-crashed-bubble']) {
      expect(flags).toContain(flag);
    }
    expect(flags.find((f) => f.startsWith('--user-data-dir='))).toMatch(/teleclass-kiosk$/);

    const policy = JSON.parse(launcher('--print-policy', url)) as Policy;
    for (const key of POLICY_KEYS) expect(policy[key], key).toEqual(['https://teleclass.school.az:8443']);
    // What the flags do machine-wide, the policy does for that origin; everything else is refused.
    expect(policy).toMatchObject({ VideoCaptureAllowed: false, AudioCaptureAllowed: false, BrowserSignin: 0, TranslateEnabled: false });

    // The file shipped is valid JSON with the placeholder origin the launcher replaces.
    const template = JSON.parse(readFileSync(path.join(KIOSK, 'policies', 'teleclass-kiosk.json'), 'utf8')) as Policy;
    for (const key of POLICY_KEYS) expect(template[key]).toEqual(['https://teleclass.example.az']);
    expect(Object.keys(policy).sort()).toEqual(Object.keys(template).sort());

    // The autostart entry starts the launcher.
    const desktop = readFileSync(path.join(KIOSK, 'teleclass-kiosk.desktop'), 'utf8');
    expect(desktop).toMatch(/^\[Desktop Entry\]$/m);
    expect(desktop).toMatch(/^Type=Application$/m);
    expect(desktop).toMatch(/^Exec=\/usr\/local\/bin\/teleclass-kiosk$/m);

    // Started for real (with a stand-in browser that notes its command line and exits): the
    // browser gets exactly those flags, and its new profile allows camera and microphone for the
    // Teleclass origin only.
    const home = mkdtempSync(path.join(temp, 'home-'));
    const fake = path.join(home, 'fake-browser.sh');
    writeFileSync(fake, `#!/bin/sh\nprintf '%s\\n' "$@" > "${home}/args"\n`);
    chmodSync(fake, 0o755);
    const run = spawnSync('bash', [LAUNCHER, url], { encoding: 'utf8', env: { ...process.env, HOME: home, KIOSK_BROWSER: fake, KIOSK_RESTART: '0', DISPLAY: '' } });
    expect(run.status, run.stderr).toBe(0);
    expect(readFileSync(path.join(home, 'args'), 'utf8').trim().split('\n')).toEqual(
      flags.map((f) => (f.startsWith('--user-data-dir=') ? `--user-data-dir=${home}/.local/share/teleclass-kiosk` : f)),
    );
    const prefs = JSON.parse(readFileSync(path.join(home, '.local/share/teleclass-kiosk/Default/Preferences'), 'utf8')) as {
      profile: { content_settings: { exceptions: Record<string, Record<string, { setting: number }>> } };
    };
    for (const kind of ['media_stream_camera', 'media_stream_mic']) {
      expect(prefs.profile.content_settings.exceptions[kind]).toEqual({ 'https://teleclass.school.az:8443,*': { setting: 1 } });
    }

    // Without a link it says what is missing.
    const none = spawnSync('bash', [LAUNCHER, '--print-flags'], { encoding: 'utf8', env: { ...process.env, HOME: os.tmpdir(), KIOSK_URL: '' } });
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/classroom's link/);
  });
});

// Debian's Chromium reads policies from /etc/chromium/policies/managed only. As root, a private
// mount namespace shows it a temporary /etc/chromium instead; elsewhere this part cannot run.
const canMount = process.getuid?.() === 0 && spawnSync('unshare', ['--mount', 'true']).status === 0;
const ctx = useServerAndBrowser({ MEDIASOUP_WORKERS: '1' });

/** On load, before any click: does sound play, and do camera and microphone open? (Logged, so that nothing is evaluated in the page.) */
const PROBE = `addEventListener('DOMContentLoaded', async () => {
  const out = [];
  const ctx = new AudioContext();
  const dest = ctx.createMediaStreamDestination();
  const osc = ctx.createOscillator();
  osc.connect(dest);
  osc.start();
  const audio = document.createElement('audio');
  audio.srcObject = dest.stream;
  document.body.append(audio);
  try { await audio.play(); out.push('sound:ok'); } catch (e) { out.push('sound:' + e.name); }
  const media = navigator.mediaDevices.getUserMedia({ video: true, audio: true }).then(() => 'media:ok', (e) => 'media:' + e.name);
  out.push(await Promise.race([media, new Promise((r) => setTimeout(() => r('media:no-answer'), 5000))]));
  console.log('PROBE ' + out.join(' '));
});`;

async function probe(context: BrowserContext, url: string): Promise<string> {
  const page: Page = await context.newPage();
  const result = page.waitForEvent('console', { predicate: (m) => m.text().startsWith('PROBE '), timeout: 15_000 });
  await page.goto(url);
  const text = (await result).text().slice('PROBE '.length);
  await page.close();
  return text;
}

describe.runIf(canMount)('Debian Chromium with the kiosk policy file', () => {
  it('lets the Teleclass origin play sound and use camera and microphone at once, and no other', async () => {
    const { links } = await createTestLecture(ctx.server, { sites: ['Ganja'] });
    const siteUrl = links.sites[0]!.url;
    const origin = new URL(siteUrl).origin;
    const other = origin.replace('127.0.0.1', 'localhost');
    expect(other).not.toBe(origin);

    // A copy of /etc/chromium with the policy the launcher prints for this classroom's link.
    const etc = path.join(temp, 'etc-chromium');
    cpSync('/etc/chromium', etc, { recursive: true });
    mkdirSync(path.join(etc, 'policies', 'managed'), { recursive: true });
    writeFileSync(path.join(etc, 'policies', 'managed', 'teleclass-kiosk.json'), launcher('--print-policy', siteUrl));
    const wrapper = path.join(temp, 'chromium-with-policy.sh');
    writeFileSync(wrapper, `#!/bin/sh\nexec unshare --mount sh -c 'mount --bind "$0" /etc/chromium && exec "${CHROMIUM}" "$@"' "${etc}" "$@"\n`);
    chmodSync(wrapper, 0o755);

    // The launcher's flags, but not its autoplay flag (the policy alone must do it), nor its
    // profile (Playwright brings its own); fake devices, but no fake answer to the camera question.
    const flags = launcher('--print-flags', siteUrl).trim().split('\n').slice(0, -1);
    const args = flags.filter((f) => !f.startsWith('--user-data-dir=') && !f.startsWith('--autoplay-policy=') && f !== '--kiosk');
    const launch = (executablePath: string, profile: string) =>
      chromium.launchPersistentContext(path.join(temp, profile), {
        executablePath,
        headless: true,
        ignoreHTTPSErrors: true,
        args: [...args, '--use-fake-device-for-media-stream', '--no-sandbox', '--disable-gpu'],
      });

    const withPolicy = await launch(wrapper, 'with-policy');
    try {
      await withPolicy.addInitScript(PROBE);
      expect(await probe(withPolicy, `${origin}/`)).toBe('sound:ok media:ok');
      expect(await probe(withPolicy, `${other}/`)).toMatch(/^sound:NotAllowedError media:(NotAllowedError|no-answer)$/);
    } finally {
      await withPolicy.close();
    }
    // The control: the same browser without the policy file refuses the Teleclass origin too.
    const without = await launch(CHROMIUM, 'without-policy');
    try {
      await without.addInitScript(PROBE);
      expect(await probe(without, `${origin}/`)).toMatch(/^sound:NotAllowedError media:(NotAllowedError|no-answer)$/);
    } finally {
      await without.close();
    }

    // Without the policy, the profile the launcher makes does the same for the Teleclass origin
    // only (its site settings allow sound, which lets it autoplay, camera and microphone) even
    // without the launcher's machine-wide autoplay flag, left out here.
    const home = mkdtempSync(path.join(temp, 'home-'));
    const run = spawnSync('bash', [LAUNCHER, siteUrl], { encoding: 'utf8', env: { ...process.env, HOME: home, KIOSK_BROWSER: 'true', KIOSK_RESTART: '0', DISPLAY: '' } });
    expect(run.status, run.stderr).toBe(0);
    const seeded = await launch(CHROMIUM, path.relative(temp, path.join(home, '.local/share/teleclass-kiosk')));
    try {
      await seeded.addInitScript(PROBE);
      expect(await probe(seeded, `${origin}/`)).toBe('sound:ok media:ok');
      expect(await probe(seeded, `${other}/`)).toMatch(/^sound:NotAllowedError media:(NotAllowedError|no-answer)$/);
    } finally {
      await seeded.close();
    }
  }, 60_000);
});
