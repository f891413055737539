// The trainer's tools in real Chromium: a locked lecture's lobby, chat and questions, the floor
// given to an online attendee and muted, attendance, a kiosk opened twice, and a removal.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createTestLecture } from '../server/test/lectures.js';
import { expectVideoPlays, newPage, screenshot, waitForTestId } from './browser.js';
import { expectState, STEPS_TIMEOUT_MS, useServerAndBrowser } from './fixture.js';

const ctx = useServerAndBrowser();


async function failedWith(page: Page, code: string): Promise<string> {
  const failed = page.getByTestId('session-failed');
  await failed.waitFor({ timeout: 20_000 });
  expect(await failed.getAttribute('data-code')).toBe(code);
  return (await failed.textContent()) ?? '';
}

describe('moderation in Chromium', () => {
  it('lobby, chat and questions, floor and mute, attendance, a kiosk opened twice, removal', async () => {
    const { links } = await createTestLecture(ctx.server, { title: 'Moderation', sites: ['Ganja'], locked: true });
    const trainer = await newPage(ctx.browser, 'trainer');
    await trainer.goto(links.trainer);
    await expectVideoPlays(trainer, 'studio-preview');
    await trainer.getByTestId('go-live').click();
    await expectState(trainer, 'live');
    expect(await trainer.getByTestId('lock-lecture').isChecked()).toBe(true);

    // Locked: the attendee waits in the lobby until the trainer admits her.
    const leyla = await newPage(ctx.browser, 'Leyla');
    await leyla.goto(links.attendee);
    await leyla.getByTestId('display-name').fill('Leyla');
    await leyla.getByTestId('join').click();
    await waitForTestId(leyla, 'lobby');
    expect(await leyla.getByTestId('lobby').textContent()).toContain('Waiting for the trainer to let you in');
    await screenshot(leyla, 'moderation-1-lobby');
    await trainer.getByTestId('lobby').getByTestId('admit-Leyla').click();
    await expectVideoPlays(leyla, 'lecture-video');

    // A question, answered.
    await leyla.getByTestId('chat-input').fill('Does article 5 apply to schools?');
    await leyla.getByTestId('chat-question').check();
    await leyla.getByTestId('chat-send').click();
    const asked = trainer.getByTestId('chat-message').filter({ hasText: 'article 5' });
    await asked.waitFor({ timeout: 10_000 });
    expect(await asked.getAttribute('data-question')).toBe('true');
    await trainer.getByTestId('chat-filter-questions').click();
    await asked.getByTestId('mark-answered').click();
    const mine = leyla.getByTestId('chat-message').filter({ hasText: 'article 5' });
    await expect.poll(() => mine.getAttribute('data-answered'), { timeout: 10_000 }).toBe('true');
    expect(await mine.getByTestId('question-badge').textContent()).toContain('Answered');
    expect(await leyla.getByTestId('chat-input').inputValue()).toBe('');
    await screenshot(leyla, 'moderation-2-answered');

    // The floor to an online attendee, muted by the trainer, unmuted by herself.
    // For an attendee the floor is an invitation: nothing goes on until she accepts.
    await leyla.getByTestId('raise-hand').click();
    await trainer.getByTestId('hand-Leyla').getByTestId('give-floor').click();
    await waitForTestId(leyla, 'floor-invitation');
    await waitForTestId(trainer, 'invited-Leyla');
    expect(await leyla.getByTestId('on-air').count()).toBe(0);
    await screenshot(leyla, 'moderation-3-invited');
    await leyla.getByTestId('decline-floor').click();
    await expect.poll(() => trainer.getByTestId('notice').textContent(), { timeout: 10_000 }).toContain('Leyla declined the floor');
    await waitForTestId(trainer, 'invited-Leyla', true);
    await trainer.getByTestId('notice').getByRole('button').click();
    await leyla.getByTestId('raise-hand').click();
    await trainer.getByTestId('hand-Leyla').getByTestId('give-floor').click();
    await leyla.getByTestId('accept-floor').click();
    await waitForTestId(leyla, 'on-air');
    await expectVideoPlays(trainer, 'stage-video');
    const mute = trainer.getByTestId('mute-Leyla');
    await mute.waitFor({ timeout: 20_000 });
    await mute.click();
    await expect.poll(() => leyla.getByTestId('on-air').textContent(), { timeout: 10_000 }).toContain('muted by the trainer');
    await mute.waitFor({ state: 'detached', timeout: 10_000 });
    expect(await leyla.getByTestId('mute-mic').textContent()).toBe('Unmute microphone');
    await screenshot(leyla, 'moderation-3-muted');
    await leyla.getByTestId('mute-mic').click();
    await mute.waitFor({ timeout: 10_000 });
    await trainer.getByTestId('take-floor-Leyla').click();
    await waitForTestId(leyla, 'on-air', true);

    // A kiosk opened a second time takes over; the first one says so.
    const ganja = await newPage(ctx.browser, 'Ganja-1');
    await ganja.goto(links.sites[0]!.url);
    await expectVideoPlays(ganja, 'lecture-video');
    const ganjaAgain = await newPage(ctx.browser, 'Ganja-2');
    await ganjaAgain.goto(links.sites[0]!.url);
    expect(await failedWith(ganja, 'REPLACED')).toContain('Opened in another window');
    await expectVideoPlays(ganjaAgain, 'lecture-video');
    // …and the studio is told which classroom was taken over.
    expect(await trainer.getByTestId('notice').textContent()).toContain('“Ganja” was opened in another window');
    await screenshot(ganja, 'moderation-4-replaced');

    // Attendance, per classroom and per person.
    await trainer.getByTestId('attendance').click();
    await waitForTestId(trainer, 'attendance-person-Leyla');
    await waitForTestId(trainer, 'attendance-site-Ganja');
    expect(await trainer.getByTestId('attendance-site-Ganja').textContent()).toMatch(/Ganja\d+\d{2}:\d{2}/);
    await screenshot(trainer, 'moderation-5-attendance');

    // Removed: told so, and the link is refused afterwards (also after a reload).
    await trainer.getByTestId('participants-tab').click();
    await trainer.getByTestId('remove-Leyla').click();
    await trainer.getByTestId('confirm-remove-Leyla').click();
    expect(await failedWith(leyla, 'REMOVED')).toContain('You were removed from this lecture.');
    await screenshot(leyla, 'moderation-6-removed');
    await leyla.reload();
    await failedWith(leyla, 'REMOVED');
    // The same browser through the shared attendee link, under another name: still refused
    // (the removal covers the browser's device id, not only her personal identity).
    const sameBrowser = await leyla.context().newPage();
    await sameBrowser.goto(links.attendee);
    await sameBrowser.getByTestId('display-name').fill('Not Leyla');
    await sameBrowser.getByTestId('join').click();
    await failedWith(sameBrowser, 'REMOVED');
    await sameBrowser.close();

    // The trainer lets her back in from the People list.
    await trainer.getByTestId('removed-list').getByTestId('restore-Leyla').click();
    await trainer.getByTestId('removed-list').waitFor({ state: 'detached', timeout: 10_000 });
    await leyla.reload();
    await waitForTestId(leyla, 'lobby'); // a removal undone is not an admission: the lecture is still locked
  }, STEPS_TIMEOUT_MS);
});
