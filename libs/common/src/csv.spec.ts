import { attachmentDisposition, encodeRfc5987, safeFilename } from './content-disposition';
import { csvField, csvLine, neutraliseFormula, restoreNeutralised, UTF8_BOM } from './csv';

describe('csv', () => {
  it('quotes only when needed and doubles quotes', () => {
    expect(csvField('令和6年度')).toBe('令和6年度');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('彼は"完了"と言った')).toBe('"彼は""完了""と言った"');
    expect(csvField('一行目\n二行目')).toBe('"一行目\n二行目"');
    expect(csvField(null)).toBe('');
    expect(csvField(0)).toBe('0');
  });

  it('ends records with CRLF; the BOM is U+FEFF', () => {
    expect(csvLine(['No.', '項目'])).toBe('No.,項目\r\n');
    expect(Buffer.from(UTF8_BOM, 'utf8')).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });
});

describe('content disposition', () => {
  it('gives an ASCII fallback and the UTF-8 name', () => {
    expect(attachmentDisposition('令和6年度上半期.xlsx', 'cycle-1.xlsx')).toBe(
      `attachment; filename="cycle-1.xlsx"; filename*=UTF-8''%E4%BB%A4%E5%92%8C6%E5%B9%B4%E5%BA%A6%E4%B8%8A%E5%8D%8A%E6%9C%9F.xlsx`,
    );
    expect(encodeRfc5987("a'b(c)*")).toBe('a%27b%28c%29%2A');
    expect(decodeURIComponent(encodeRfc5987('令和6年度上半期.xlsx'))).toBe('令和6年度上半期.xlsx');
  });

  it('makes file names safe', () => {
    expect(safeFilename('市長公約 進捗/令和6年度')).toBe('市長公約_進捗_令和6年度');
    expect(safeFilename('***')).toBe('report');
  });
});

describe('formula injection', () => {
  it('defuses text starting with = + - @ (and tab, CR), and gives it back as it was', () => {
    for (const text of ['=HYPERLINK("http://x")', '+1', '-2+3', '@SUM(A1)', '\tx', '\rx']) {
      expect(neutraliseFormula(text)).toBe(`'${text}`);
      expect(restoreNeutralised(neutraliseFormula(text))).toBe(text);
    }
    for (const text of ['令和6年度', "'引用", "'", '', '1-2']) {
      expect(neutraliseFormula(text)).toBe(text);
      expect(restoreNeutralised(text)).toBe(text);
    }
  });
});
