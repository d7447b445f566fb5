import type { OpenAPIObject } from '@nestjs/swagger';
import type { OperationObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

/**
 * Operations whose success answer has no schema: Nest lists an undecorated endpoint with an
 * empty 200/201, which openapi-typescript would turn into `never` without anyone noticing.
 * A 204 carries no body and a redirect (3xx) none the client reads.
 */
export function undescribedAnswers(document: OpenAPIObject): string[] {
  const out: string[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item as Record<string, OperationObject>)) {
      const success = Object.entries(operation.responses ?? {}).filter(([status]) => /^2\d\d$/.test(status) && status !== '204');
      const redirects = Object.keys(operation.responses ?? {}).some((status) => /^3\d\d$/.test(status));
      const described = success.some(([, response]) => !!response && 'content' in response && Object.keys(response.content ?? {}).length > 0);
      const noBody = Object.keys(operation.responses ?? {}).includes('204') || redirects;
      if (!described && !(noBody && success.every(([, r]) => !r || !('content' in r)))) out.push(`${method.toUpperCase()} ${path}`);
    }
  }
  return out;
}
