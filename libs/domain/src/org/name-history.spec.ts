import { nameValidOn } from './name-history';

describe('nameValidOn', () => {
  const history = [
    { name: '新部', validFrom: '2026-04-01', validTo: null },
    { name: '旧部', validFrom: '2020-04-01', validTo: '2026-03-31' },
  ];

  it('gives the name valid on the day, the old one up to the day before the rename', () => {
    expect(nameValidOn(history, '2026-03-31', '新部')).toBe('旧部');
    expect(nameValidOn(history, '2026-04-01', '新部')).toBe('新部');
    expect(nameValidOn(history, '2027-03-31', '新部')).toBe('新部');
  });

  it('reads a day before any record as the earliest name, and no history as the current name', () => {
    expect(nameValidOn(history, '2019-09-30', '新部')).toBe('旧部');
    expect(nameValidOn([], '2019-09-30', '今の部')).toBe('今の部');
  });
});
