import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's chromium; the tests never download a browser of their own. */
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-gpu',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

export const SCREENSHOT_DIR = join(process.cwd(), 'test-output', 'screenshots');
const WEB_DIR = join(process.cwd(), 'web');

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, name.name);
    newest = Math.max(newest, name.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Builds web/dist when it is missing or older than the sources, so the browser test always
 * drives the current UI whatever ran before it (a few seconds with Vite).
 */
export function ensureWebBuilt(): void {
  const index = join(WEB_DIR, 'dist', 'index.html');
  // The web bundles libs/domain (labels, the form engine's rules) as well as its own sources.
  const sources = Math.max(
    newestMtime(join(WEB_DIR, 'src')),
    newestMtime(join(process.cwd(), 'libs', 'domain', 'src')),
    statSync(join(WEB_DIR, 'index.html')).mtimeMs,
  );
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  const vite = join(process.cwd(), 'node_modules', '.bin', 'vite');
  const result = spawnSync(vite, ['build', '--config', join(WEB_DIR, 'vite.config.mts')], { encoding: 'utf8', timeout: 120_000 });
  if (result.status !== 0) throw new Error(`web build failed:\n${result.stdout}\n${result.stderr}`);
}

/** Full-page PNG into test-output/screenshots/<name>.png; returns the path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

export interface SignInOptions {
  /** Opens this address first (the login page, or a deep link the app sends to the login); else signs in on the page as it is. */
  at?: string;
  /** Clears the stored session first, so a new user signs in on a page another used. */
  fresh?: boolean;
  /**
   * What shows the sign-in done: the signed-in app's ログアウト button (default), the main
   * menu, or nothing (the test looks at what comes next itself: a refusal, the password change).
   */
  until?: 'signed-in' | 'menu' | 'submitted';
}

/** Signs in through the login form as a user does: ログインID, パスワード, the ログイン button. */
export async function signIn(page: Page, login: string, password = 'password', opts: SignInOptions = {}): Promise<void> {
  if (opts.fresh) await page.evaluate(() => localStorage.clear()).catch(() => undefined);
  if (opts.at) await page.goto(opts.at);
  await page.getByLabel('ログインID').fill(login);
  await page.getByLabel('パスワード').fill(password);
  await page.getByRole('button', { name: 'ログイン', exact: true }).click();
  const until = opts.until ?? 'signed-in';
  if (until === 'signed-in') await page.getByRole('button', { name: 'ログアウト', exact: true }).waitFor();
  if (until === 'menu') await page.getByRole('navigation', { name: 'メインメニュー' }).waitFor();
}
