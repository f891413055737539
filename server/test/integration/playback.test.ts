// reportPlayback over real sockets: a classroom whose browser blocks sound says so, the lecture
// hears it once per change, and whoever joins later sees it in the participant's view.
import { describe, expect, it } from 'vitest';
import { createTestLecture } from '../lectures.js';
import { useLectureServer } from '../lectureServer.js';

const ctx = useLectureServer();
const peer = ctx.peer.bind(ctx);

describe('sound blocked on a classroom', () => {
  it('is kept on the participant and told to the lecture on each change', async () => {
    const l = await createTestLecture(ctx.server);
    const trainer = peer(l.trainer);
    await trainer.join();
    const site = peer(l.site('Ganja'));
    const { self } = await site.join();
    expect(self.soundBlocked).toBe(false);

    const blocked = trainer.waitForNotification('participantUpdated', (p) => p.id === self.id);
    await site.request('reportPlayback', { soundBlocked: true });
    expect(await blocked).toMatchObject({ id: self.id, site: 'Ganja', soundBlocked: true });

    // Saying it again changes nothing and tells nobody; a latecomer sees it in `peers`.
    let repeats = 0;
    trainer.socket.on('participantUpdated', () => repeats++);
    await site.request('reportPlayback', { soundBlocked: true });
    const attendee = peer(l.attendee);
    const joined = await attendee.join('Leyla');
    expect(joined.peers.find((p) => p.id === self.id)?.soundBlocked).toBe(true);

    const cleared = trainer.waitForNotification('participantUpdated', (p) => p.id === self.id && !p.soundBlocked);
    await site.request('reportPlayback', { soundBlocked: false });
    await cleared;
    expect(repeats).toBe(1);
    expect(await trainer.refusal('reportPlayback', { soundBlocked: true })).toBe('FORBIDDEN');
    expect(await site.refusal('reportPlayback', { soundBlocked: 'yes' })).toBe('BAD_REQUEST');
  });
});
