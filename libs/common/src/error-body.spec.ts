import { type ArgumentsHost, NotFoundException, ParseIntPipe, ServiceUnavailableException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { DomainErrorFilter } from './domain-error.filter';
import { fieldOfConstraint } from './error-body';

function answer(error: unknown): { status: number; body: Record<string, unknown> } {
  const out = { status: 0, body: {} as Record<string, unknown> };
  const res = {
    status: (s: number) => ((out.status = s), res),
    json: (b: Record<string, unknown>) => ((out.body = b), res),
    setHeader: () => res,
  };
  new DomainErrorFilter().catch(error, { switchToHttp: () => ({ getResponse: () => res }) } as unknown as ArgumentsHost);
  return out;
}

describe('error bodies', () => {
  it("puts the framework's own refusals in the one shape, in Japanese, and leaves other bodies alone", async () => {
    expect(answer(new NotFoundException('Cannot GET /api/nope'))).toEqual({
      status: 404,
      body: { statusCode: 404, error: 'not_found', message: '指定されたページまたはデータが見つかりません', detail: 'Cannot GET /api/nope' },
    });
    const pipe = await new ParseIntPipe().transform('abc', { type: 'query', data: 'sectionId' }).catch((e: unknown) => e);
    expect(answer(pipe).body).toMatchObject({ statusCode: 400, error: 'bad_request', message: '入力内容が正しくありません' });
    // terminus' health report is not an error body: it passes as it is.
    const report = { status: 'error', info: {}, error: { redis: { status: 'down' } }, details: {} };
    expect(answer(new ServiceUnavailableException(report))).toEqual({ status: 503, body: report });
  });

  it('reads the column of a unique constraint', () => {
    expect(fieldOfConstraint('users', 'users_login_key')).toBe('login');
    expect(fieldOfConstraint('cycle_templates', 'cycle_templates_code_key')).toBe('code');
    expect(fieldOfConstraint('plans', 'plans_external_ref_key')).toBe('externalRef');
    expect(fieldOfConstraint('users', 'users_pkey')).toBeUndefined();
  });

  it('a unique-constraint race answers 409 naming the field, in the one error shape', () => {
    const race = new QueryFailedError(
      'INSERT',
      [],
      Object.assign(new Error('duplicate key'), { code: '23505', table: 'users', constraint: 'users_login_key' }),
    );
    expect(answer(race)).toEqual({
      status: 409,
      body: { statusCode: 409, error: 'database', message: 'login: 同じ値のデータが既に存在します', field: 'login', constraint: 'users_login_key' },
    });
  });

  it('an unexpected error is a 500 with an id and the same keys', () => {
    const { status, body } = answer(new Error('boom'));
    expect(status).toBe(500);
    expect(body).toEqual({ statusCode: 500, error: 'internal', message: 'サーバー内部エラーが発生しました', errorId: expect.any(String) });
  });
});
