import { sectionDisplayName } from './section-display-name';

describe('sectionDisplayName', () => {
  it('prints the current name alone when the section was never renamed', () => {
    expect(sectionDisplayName([{ name: '経営企画課', validFrom: '2020-04-01', validTo: null }], '経営企画課')).toBe('経営企画課');
    expect(sectionDisplayName([], '経営企画課')).toBe('経営企画課');
  });

  it('names the era fiscal year of the rename and the previous name', () => {
    const history = [
      { name: '情報管理課', validFrom: '2015-04-01', validTo: '2022-03-31' },
      { name: '情報政策課', validFrom: '2022-04-01', validTo: null },
    ];
    expect(sectionDisplayName(history, '情報政策課')).toBe('情報政策課(令和4年度より。旧 情報管理課)');
  });

  it('uses the fiscal year of a rename made between January and March', () => {
    const history = [
      { name: 'A課', validFrom: '2010-04-01', validTo: '2020-01-31' },
      { name: 'B課', validFrom: '2020-02-01', validTo: null },
    ];
    expect(sectionDisplayName(history, 'B課')).toBe('B課(令和元年度より。旧 A課)');
  });
});
