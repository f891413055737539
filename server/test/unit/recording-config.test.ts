import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';

describe('recording configuration', () => {
  it('defaults to one composing job and week-long viewing links', () => {
    const c = parseConfig({});
    expect(c.RECORDING_JOBS).toBe(1);
    expect(c.VIEW_LINK_HOURS).toBe(168);
    expect(parseConfig({ RECORDING_JOBS: '3', VIEW_LINK_HOURS: '24' })).toMatchObject({ RECORDING_JOBS: 3, VIEW_LINK_HOURS: 24 });
  });

  it.each([
    [{ RECORDING_JOBS: '0' }, /^RECORDING_JOBS /],
    [{ RECORDING_JOBS: 'many' }, /^RECORDING_JOBS /],
    [{ VIEW_LINK_HOURS: '0' }, /^VIEW_LINK_HOURS /],
  ])('refuses %o', (env, message) => {
    expect(() => parseConfig(env)).toThrow(expect.objectContaining({ problems: [expect.stringMatching(message)] }));
  });
});
