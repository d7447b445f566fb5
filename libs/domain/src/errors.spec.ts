import { DomainRuleError, TransitionError } from './errors';

describe('domain errors', () => {
  it('TransitionError is a DomainRuleError carrying from/action', () => {
    const e = new TransitionError('draft', 'publish');
    expect(e).toBeInstanceOf(DomainRuleError);
    expect(e).toBeInstanceOf(Error);
    expect(e.from).toBe('draft');
    expect(e.action).toBe('publish');
    expect(e.name).toBe('TransitionError');
    expect(e.message).toContain('draft');
  });

  it('DomainRuleError keeps its message and name', () => {
    const e = new DomainRuleError('だめ');
    expect(e.message).toBe('だめ');
    expect(e.name).toBe('DomainRuleError');
  });
});
