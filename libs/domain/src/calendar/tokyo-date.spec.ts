import { lastTokyoTimeOfDay, tokyoToday } from './tokyo-date';

describe('tokyoToday', () => {
  it('switches date at midnight Tokyo (15:00 UTC)', () => {
    expect(tokyoToday(new Date('2025-03-31T14:59:59Z'))).toBe('2025-03-31');
    expect(tokyoToday(new Date('2025-03-31T15:00:00Z'))).toBe('2025-04-01');
  });
});

describe('lastTokyoTimeOfDay', () => {
  it("is today's time once it has passed, else yesterday's", () => {
    // 05:10 Tokyo on 1 April is 20:10 UTC on 31 March.
    expect(lastTokyoTimeOfDay('05:00', new Date('2025-03-31T20:10:00Z')).toISOString()).toBe('2025-03-31T20:00:00.000Z');
    expect(lastTokyoTimeOfDay('05:00', new Date('2025-03-31T20:00:00Z')).toISOString()).toBe('2025-03-31T20:00:00.000Z');
    // 04:59 Tokyo on 1 April: the opening last due was at 05:00 on 31 March.
    expect(lastTokyoTimeOfDay('05:00', new Date('2025-03-31T19:59:00Z')).toISOString()).toBe('2025-03-30T20:00:00.000Z');
    expect(lastTokyoTimeOfDay('23:30:15', new Date('2025-04-01T00:00:00Z')).toISOString()).toBe('2025-03-31T14:30:15.000Z');
  });

  it('refuses what is not a time of day', () => {
    expect(() => lastTokyoTimeOfDay('25:00')).toThrow(/time of day/);
  });
});
