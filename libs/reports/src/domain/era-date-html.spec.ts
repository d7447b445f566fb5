import { eraDateLabel, tokyoDate } from './era-date';
import { escapeHtml, multiline } from './html';

describe('era dates and html', () => {
  it('prints era dates, taking instants in Japan time', () => {
    expect(eraDateLabel('2024-10-10')).toBe('令和6年10月10日');
    expect(eraDateLabel(new Date('2024-09-30T16:00:00Z'))).toBe('令和6年10月1日');
    expect(eraDateLabel(null)).toBe('');
    expect(tokyoDate(new Date('2024-09-30T16:00:00Z'))).toBe('2024-10-01');
  });

  it('escapes user text', () => {
    expect(escapeHtml(`<script>"x"&'y'</script>`)).toBe('&lt;script&gt;&quot;x&quot;&amp;&#39;y&#39;&lt;/script&gt;');
    expect(multiline('a\r\nb<')).toBe('a<br>b&lt;');
  });
});
