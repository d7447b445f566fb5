import { useRef, useState, type FormEvent } from 'react';
import { ApiError, upload } from './api';

export type BatchMode = 'now' | 'on_date';

/**
 * A file read row by row before anything changes, then registered (at once or on its date): the
 * 人事異動 and 機構改革 cards. The preview of a refused registration comes back in the error's
 * body under `previewKey`, so the rows that stopped it stay on screen.
 */
export function useFileBatch<P>(opts: { previewPath: string; registerPath: string; missingFile: string; previewKey: string; reload: () => Promise<unknown> }) {
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<P | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function read(e: FormEvent) {
    e.preventDefault();
    const chosen = input.current?.files?.[0] ?? null;
    setPreview(null);
    setNotice(null);
    setError(null);
    if (!chosen) return setError(opts.missingFile);
    setBusy(true);
    try {
      setFile(chosen);
      setPreview(await upload<P>(opts.previewPath, chosen));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  /** Registers the previewed file; `done` says what became of it. */
  async function register<R>(mode: BatchMode, done: (res: R) => string) {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      setNotice(done(await upload<R>(opts.registerPath, file, { mode })));
      setPreview(null);
      setFile(null);
      if (input.current) input.current.value = '';
      await opts.reload();
    } catch (err) {
      setError((err as Error).message);
      if (err instanceof ApiError && err.body[opts.previewKey]) setPreview(err.body[opts.previewKey] as P);
    } finally {
      setBusy(false);
    }
  }

  return { input, preview, error, setError, notice, setNotice, busy, read, register };
}
