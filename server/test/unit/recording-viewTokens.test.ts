import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TokenService } from '../../src/auth/tokens.js';

const tokens = new TokenService('a'.repeat(32));
const later = () => new Date(Date.now() + 3_600_000);

describe('viewing tokens', () => {
  it('open exactly one recording', async () => {
    const id = randomUUID();
    const token = await tokens.signView({ recordingId: id }, later());
    await expect(tokens.verifyView(token, id)).resolves.toEqual({ recordingId: id });
    await expect(tokens.verifyView(token)).resolves.toEqual({ recordingId: id });
    await expect(tokens.verifyView(token, randomUUID())).rejects.toMatchObject({ code: 'TOKEN_WRONG_RECORDING' });
  });

  it('are refused when expired, forged, junk, or signed with another key', async () => {
    const id = randomUUID();
    const expired = await tokens.signView({ recordingId: id }, new Date(Date.now() - 1000));
    await expect(tokens.verifyView(expired, id)).rejects.toMatchObject({ code: 'TOKEN_EXPIRED' });
    const other = await new TokenService('b'.repeat(32)).signView({ recordingId: id }, later());
    await expect(tokens.verifyView(other, id)).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
    for (const junk of ['', 'x', 'a.b.c', 'x'.repeat(5000)]) {
      await expect(tokens.verifyView(junk, id)).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
    }
    await expect(tokens.signView({ recordingId: '../etc' }, later())).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
  });

  it('are a separate audience: a join link never opens a recording, a viewing link never joins', async () => {
    const id = randomUUID();
    const join = await tokens.sign({ lectureId: 'budget-law', role: 'trainer', identity: 'trainer', name: 'Aygün' }, later());
    await expect(tokens.verifyView(join, id)).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
    const view = await tokens.signView({ recordingId: id }, later());
    await expect(tokens.verify(view)).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
  });
});
