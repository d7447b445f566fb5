import { useEffect, useState } from 'react';
import { api, ApiError } from './api';
import { chooseTenant, tenantCode } from './tenant';
import type { components } from './api-types.gen';
import './tenant.css';

/** GET /api/system-info (public): what the UI shows about the installation and its municipality. */
export type SystemInfo = components['schemas']['SystemInfo'];

const FALLBACK: SystemInfo = { demo: false, multiTenant: false, municipality: null };
let cached: Promise<SystemInfo> | null = null;
const listeners = new Set<(info: SystemInfo) => void>();

function read(): Promise<SystemInfo> {
  cached ??= api.get<SystemInfo>('/system-info').catch((err: unknown) => {
    // A remembered municipality the installation does not know (any more): forgotten, and asked again.
    if (err instanceof ApiError && err.status === 404 && tenantCode()) {
      chooseTenant(null);
      return api.get<SystemInfo>('/system-info').catch(() => FALLBACK);
    }
    return FALLBACK;
  });
  return cached;
}

/** Asks again (another municipality chosen, its name or logo edited): every user of the hook gets the answer. */
export function refreshSystemInfo(): Promise<SystemInfo> {
  cached = null;
  const next = read();
  void next.then((info) => listeners.forEach((l) => l(info)));
  return next;
}

/** Read once per page load (and on refreshSystemInfo); null until it answers (and if it never does: no banner). */
export function useSystemInfo(): SystemInfo | null {
  const [info, setInfo] = useState<SystemInfo | null>(null);
  useEffect(() => {
    let live = true;
    const listener = (value: SystemInfo) => live && setInfo(value);
    listeners.add(listener);
    void read().then(listener);
    return () => {
      live = false;
      listeners.delete(listener);
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

/** The municipality's logo and name, as the header and the sign-in page show them. */
export function MunicipalityBrand() {
  const info = useSystemInfo();
  const m = info?.municipality;
  if (!m) return null;
  return (
    <span className="municipality-brand">
      {m.logoUrl ? <img className="municipality-logo" src={m.logoUrl} alt="" /> : null}
      <span className="municipality-name">{m.name}</span>
    </span>
  );
}
