import { ChainLink, ChainWalker, linkHash, linkText } from './audit-chain';

const link = (seq: number, prevHash: string | null, over: Partial<ChainLink> = {}): ChainLink & { hash: string } => {
  const l: ChainLink = {
    chainSeq: String(seq),
    id: String(seq + 100),
    at: '2024-04-01T00:00:00.000000Z',
    actorUserId: '1',
    onBehalfOfUserId: null,
    acting: false,
    action: 'entry.save',
    subjectType: 'entry',
    subjectId: '7',
    before: '{"state": "draft"}',
    after: null,
    comment: null,
    prevHash,
    ...over,
  };
  return { ...l, hash: linkHash(l) };
};

function chain(n: number): (ChainLink & { hash: string })[] {
  const links: (ChainLink & { hash: string })[] = [];
  for (let i = 1; i <= n; i++) links.push(link(i, links[i - 2]?.hash ?? null));
  return links;
}

describe('audit chain', () => {
  it('serialises each field with its byte length, so moving text between fields changes the hash', () => {
    const a = link(1, null, { action: 'a;1:b', subjectType: 'c' });
    const b = link(1, null, { action: 'a', subjectType: '1:b;c' });
    expect(linkText(a)).not.toBe(linkText(b));
    expect(a.hash).not.toBe(b.hash);
    expect(linkText(link(1, null, { comment: '' }))).not.toBe(linkText(link(1, null, { comment: null })));
    expect(linkText(link(1, null, { comment: '課' }))).toContain(';3:課;');
  });

  it('accepts an intact chain and a head that points at its end', () => {
    const w = new ChainWalker();
    const links = chain(4);
    for (const l of links) expect(w.step(l)).toBe(true);
    w.finish({ lastSeq: '4', lastHash: links[3].hash });
    expect(w.firstBreak).toBeNull();
    expect(w.head).toEqual({ chainSeq: '4', id: '104', hash: links[3].hash });
  });

  it('names the first break: a changed row, a missing one, a relinked one, a lost tail', () => {
    const changed = chain(3);
    changed[1] = { ...changed[1], comment: 'x' };
    const w1 = new ChainWalker();
    changed.forEach((l) => w1.step(l));
    expect(w1.firstBreak).toMatchObject({ problem: 'changed', id: '102', chainSeq: '2' });

    const w2 = new ChainWalker();
    [chain(3)[0], chain(3)[2]].forEach((l) => w2.step(l));
    expect(w2.firstBreak).toMatchObject({ problem: 'missing', id: '103', expected: '2', actual: '3' });

    const links = chain(3);
    const w3 = new ChainWalker();
    [links[0], { ...links[1], prevHash: 'ff' }].forEach((l) => w3.step(l));
    expect(w3.firstBreak).toMatchObject({ problem: 'relinked', id: '102' });

    const w4 = new ChainWalker();
    links.slice(0, 2).forEach((l) => w4.step(l));
    w4.finish({ lastSeq: '3', lastHash: links[2].hash });
    expect(w4.firstBreak).toMatchObject({ problem: 'tail-missing', id: null, chainSeq: '3' });
    expect(w4.firstBreak?.message).toContain('末尾の 1 行');
  });
});
