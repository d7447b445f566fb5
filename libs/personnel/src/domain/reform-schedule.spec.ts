import { reformTiming } from './reform-schedule';

describe('reformTiming', () => {
  it('schedules a file whose one 施行日 is to come, and applies one whose date has come at once', () => {
    expect(reformTiming(['2027-04-01', '2027-04-01'], 'on_date', '2027-03-15')).toEqual({ effectiveDate: '2027-04-01', now: false });
    expect(reformTiming(['2027-04-01'], 'on_date', '2027-04-01')).toEqual({ effectiveDate: '2027-04-01', now: true });
    expect(reformTiming(['2026-04-01', '2026-10-01'], 'on_date', '2027-01-05')).toEqual({ effectiveDate: '2026-10-01', now: true });
  });

  it('applies at once when asked, whatever the dates', () => {
    expect(reformTiming(['2027-04-01', '2027-05-01'], 'now', '2027-03-15')).toEqual({ effectiveDate: '2027-05-01', now: true });
  });

  it('refuses to schedule a file with several dates', () => {
    expect(reformTiming(['2027-05-01', '2027-04-01'], 'on_date', '2027-03-15')).toEqual({
      error: '施行日に適用する機構改革は、全ての行を同じ施行日にしてください（2027-04-01、2027-05-01）',
    });
  });
});
