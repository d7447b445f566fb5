import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { DomainError } from './domain-error';

const INT4_MAX = 2_147_483_647;
/** Keys whose numbers are database ids or versions (PostgreSQL integer columns). */
const ID_KEY = /^(id|version)$|Ids?$/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Runs before the ValidationPipe on request bodies and query strings and refuses, naming the
 * field, what no DTO rule catches but PostgreSQL would reject later without saying which field:
 * NUL characters and unpaired surrogates in strings (text columns cannot hold them), numbers
 * beyond exact integers (2^53), and ids/versions beyond PostgreSQL's integer.
 */
@Injectable()
export class InputSanityPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if ((metadata.type === 'body' || metadata.type === 'query') && value !== null && typeof value === 'object') {
      const problem = findProblem(value);
      if (problem) throw new DomainError('bad_request', `${problem.field}: ${problem.message}`, { field: problem.field });
    }
    return value;
  }
}

/** Iterative walk (bodies are depth-limited by the JSON parser's verify hook, but never trust recursion). */
export function findProblem(root: object): { field: string; message: string } | undefined {
  const stack: { value: unknown; path: string; key: string }[] = [{ value: root, path: '', key: '' }];
  let visited = 0;
  while (stack.length && visited++ < 100_000) {
    const { value, path, key } = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return { field: path, message: '使用できない文字（NUL）が含まれています' };
      if (LONE_SURROGATE.test(value)) return { field: path, message: '不正な文字（対になっていないサロゲート）が含まれています' };
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value) || Math.abs(value) > Number.MAX_SAFE_INTEGER) return { field: path, message: '数値が大きすぎます' };
      if (ID_KEY.test(key) && Math.abs(value) > INT4_MAX) return { field: path, message: '値が範囲外です' };
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => stack.push({ value: item, path: `${path}.${i}`, key }));
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) stack.push({ value: v, path: path ? `${path}.${k}` : k, key: k });
    }
  }
  return undefined;
}
