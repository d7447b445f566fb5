import { tokyoToday } from './tokyo-date';

describe('tokyoToday', () => {
  it('switches date at midnight Tokyo (15:00 UTC)', () => {
    expect(tokyoToday(new Date('2025-03-31T14:59:59Z'))).toBe('2025-03-31');
    expect(tokyoToday(new Date('2025-03-31T15:00:00Z'))).toBe('2025-04-01');
  });
});
