import type { OpenAPIObject } from '@nestjs/swagger';
import { undescribedAnswers } from './openapi-check';

describe('the contract names every answer', () => {
  const doc = (paths: OpenAPIObject['paths']) => ({ openapi: '3.0.0', info: { title: 't', version: '1' }, paths }) as OpenAPIObject;
  const json = { content: { 'application/json': { schema: { $ref: '#/components/schemas/X' } } }, description: '' };

  it('finds an endpoint listed with an empty 200 (no response DTO), and passes described, 204 and redirect answers', () => {
    expect(
      undescribedAnswers(
        doc({
          '/api/a': { get: { responses: { '200': json } }, post: { responses: { '201': { description: '' } } } },
          '/api/b': { delete: { responses: { '204': { description: '' } } } },
          '/api/c': { get: { responses: { '302': { description: 'to the identity provider' } } } },
        }),
      ),
    ).toEqual(['POST /api/a']);
  });
});
