import { DomainError, type DomainErrorKind } from '@app/common';

/**
 * The DomainError a service call refuses with, as { kind, details, message }; fails when it
 * succeeds. Takes a thunk: some services throw before their first await.
 */
export function refusal(call: () => Promise<unknown>): Promise<{ kind: DomainErrorKind; details: Record<string, unknown>; message: string }> {
  return Promise.resolve()
    .then(call)
    .then(
      () => {
        throw new Error('expected a refusal');
      },
      (e: unknown) => {
        if (!(e instanceof DomainError)) throw e;
        return { kind: e.kind, details: e.details, message: e.message };
      },
    );
}
