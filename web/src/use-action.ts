import { useState } from 'react';

/** An action the user triggers: its success notice or its error, and what to reload after it. */
export type RunAction = (what: () => Promise<string>) => Promise<void>;

export function useAction(afterSuccess: () => Promise<unknown>): { notice: string | null; error: string | null; run: RunAction } {
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run: RunAction = async (what) => {
    setError(null);
    setNotice(null);
    try {
      setNotice(await what());
      await afterSuccess();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return { notice, error, run };
}
