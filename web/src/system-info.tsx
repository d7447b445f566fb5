import { useEffect, useState } from 'react';
import { api } from './api';

/** GET /api/system-info (public): what the UI shows about the installation itself. */
export interface SystemInfo {
  demo: boolean;
}

let cached: Promise<SystemInfo> | null = null;

/** Read once per page load; null until it answers (and if it never does: no banner). */
export function useSystemInfo(): SystemInfo | null {
  const [info, setInfo] = useState<SystemInfo | null>(null);
  useEffect(() => {
    let live = true;
    cached ??= api.get<SystemInfo>('/system-info').catch(() => ({ demo: false }));
    void cached.then((value) => live && setInfo(value));
    return () => {
      live = false;
    };
  }, []);
  return info;
}

/** 「デモ環境」: a demo installation has published passwords, so it says so wherever one looks. */
export function DemoBadge() {
  const info = useSystemInfo();
  if (!info?.demo) return null;
  return (
    <span className="demo-badge" role="note" title="デモ用のデータとパスワードで動いています。本番の情報を入力しないでください">
      デモ環境
    </span>
  );
}
