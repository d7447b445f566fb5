import { useEffect, useRef, type ReactNode } from 'react';
import { redirectToLogin } from './api';
import { AuthProvider, useAuth } from './auth';
import { ROLE_LABELS, hasRole } from './format';
import { Link, match, navigate, useRoute } from './router';
import { ExternalReviewPage } from './pages/external-review';
import type { Actor } from './types';
import { DemoBadge, MunicipalityBrand } from './system-info';
import { TenantSettingsPage } from './pages/tenant-settings';
import { publicSiteHref } from './tenant';
import { CycleDashboardPage } from './pages/cycle-dashboard';
import { CyclesPage } from './pages/cycles';
import { DelegationsPage } from './pages/delegations';
import { GlossaryPage } from './pages/glossary';
import { EntryPage } from './pages/entry';
import { InboxPage } from './pages/inbox';
import { ItemEditPage } from './pages/item-edit';
import { LoginPage } from './pages/login';
import { MatrixPage } from './pages/matrix';
import { MyEntriesPage } from './pages/my-entries';
import { OrganisationPage } from './pages/organisation';
import { RecordsPage } from './pages/records';
import { TransfersPage } from './pages/transfers';
import { ForcedPasswordChange, PasswordPage } from './pages/password';
import { PlanPage } from './pages/plan';
import { PrefectureComparisonPage } from './pages/prefecture';
import { PlansPage } from './pages/plans';
import { TemplatesPage } from './pages/templates';
import { UsersPage } from './pages/users';
import { NotificationsPage } from './pages/notifications';
import { NotificationBell } from './components/notification-bell';

interface NavItem {
  to: string;
  label: string;
  visible: (a: Actor) => boolean;
}

/** What each kind of user sees; the API still decides every permission. */
const NAV: NavItem[] = [
  { to: '/mine', label: '自課のエントリー', visible: (a) => a.sectionId !== null && hasRole(a.roles, 'chief', 'staff') },
  { to: '/inbox', label: '承認待ち', visible: (a) => hasRole(a.roles, 'chief', 'evaluator', 'planning', 'admin') },
  { to: '/cycles', label: 'サイクル管理', visible: (a) => hasRole(a.roles, 'planning', 'admin') },
  { to: '/plans', label: '計画・項目', visible: (a) => hasRole(a.roles, 'planning', 'admin') },
  { to: '/templates', label: 'テンプレート', visible: (a) => hasRole(a.roles, 'planning', 'admin') },
  { to: '/delegations', label: '代理設定', visible: (a) => hasRole(a.roles, 'chief', 'evaluator', 'planning', 'admin') },
  { to: '/matrix', label: '進捗一覧', visible: (a) => hasRole(a.roles, 'planning', 'admin', 'evaluator') },
  { to: '/organisation', label: '組織', visible: (a) => hasRole(a.roles, 'planning', 'admin') },
  { to: '/users', label: '利用者', visible: (a) => hasRole(a.roles, 'planning', 'admin') },
  { to: '/transfers', label: '人事異動・機構改革', visible: (a) => hasRole(a.roles, 'planning', 'admin') },
  { to: '/records', label: '文書管理', visible: (a) => hasRole(a.roles, 'planning', 'admin') },
  { to: '/settings', label: '団体設定', visible: (a) => hasRole(a.roles, 'admin') },
  { to: '/external-review', label: '外部評価', visible: (a) => hasRole(a.roles, 'external_reviewer') },
  { to: '/prefecture', label: '市区町村の比較', visible: (a) => hasRole(a.roles, 'prefecture') },
];

function homeOf(actor: Actor): string {
  if (hasRole(actor.roles, 'external_reviewer')) return '/external-review';
  if (hasRole(actor.roles, 'prefecture')) return '/prefecture';
  if (hasRole(actor.roles, 'planning', 'admin')) return '/cycles';
  if (hasRole(actor.roles, 'evaluator')) return '/inbox';
  return '/mine';
}

function Shell({ actor, path, children }: { actor: Actor; path: string; children: ReactNode }) {
  const { logout } = useAuth();
  const items = NAV.filter((n) => n.visible(actor));

  // Each page's title names it (WCAG 2.4.2): the page's h1, whichever page renders it.
  useEffect(() => {
    const main = document.getElementById('main');
    if (!main) return;
    const update = () => {
      const h1 = main.querySelector('h1')?.textContent?.replace(/\s+/g, ' ').trim();
      const title = h1 ? `${h1} | 評価サイクル` : '評価サイクル';
      if (document.title !== title) document.title = title;
    };
    update();
    const observer = new MutationObserver(update);
    observer.observe(main, { childList: true, subtree: true, characterData: true });
    return () => observer.disconnect();
  }, []);
  return (
    <>
      <a
        className="skip-link"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        本文へ移動
      </a>
      <header className="app-header">
        <div className="brand">
          <MunicipalityBrand />
          評価サイクル <DemoBadge />
        </div>
        <nav aria-label="メインメニュー">
          <ul>
            {items.map((n) => (
              <li key={n.to}>
                <Link to={n.to} aria-current={path === n.to || path.startsWith(`${n.to}/`) ? 'page' : undefined}>
                  {n.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="user">
          <NotificationBell path={path} />
          <span className="user-name">{actor.name}</span>
          <span className="user-roles">{actor.roles.map((r) => ROLE_LABELS[r] ?? r).join('・')}</span>
          <Link to="/password" aria-current={path === '/password' ? 'page' : undefined}>
            パスワード変更
          </Link>
          <button type="button" className="btn btn-ghost btn-small" onClick={() => void logout()}>
            ログアウト
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="app-main">
        {children}
      </main>
      <footer className="app-footer">
        <Link to="/glossary" aria-current={path === '/glossary' ? 'page' : undefined}>
          用語集
        </Link>
        <a href={publicSiteHref()}>公開サイト</a>
      </footer>
    </>
  );
}

function Routes() {
  const { actor, passwordChangeRequired } = useAuth();
  const { path, query } = useRoute();
  const signedIn = !!actor;

  useEffect(() => {
    if (!signedIn && !path.startsWith('/login')) redirectToLogin();
    if (signedIn && actor && path === '/') navigate(homeOf(actor));
  }, [signedIn, path, actor]);

  // A new page: to the top, and (after the first) focus on its main region, so a screen reader
  // starts reading the new page and Tab goes on from there rather than from the old link.
  const shown = useRef<string | null>(null);
  useEffect(() => {
    window.scrollTo(0, 0);
    if (shown.current !== null && shown.current !== path) document.getElementById('main')?.focus({ preventScroll: true });
    shown.current = path;
  }, [path]);

  if (path.startsWith('/login')) return <LoginPage next={query.get('next')} ssoCode={query.get('sso')} />;
  if (!actor) return null;
  // The API answers nothing else until the administrator's password is replaced.
  if (passwordChangeRequired) return <ForcedPasswordChange onChanged={() => navigate(homeOf(actor))} />;

  let page: ReactNode = <NotFound />;
  let params: Record<string, string> | null;
  if (path === '/mine') page = <MyEntriesPage />;
  else if ((params = match('/entries/:id', path))) page = <EntryPage key={params.id} id={Number(params.id)} />;
  else if (path === '/inbox') page = <InboxPage />;
  else if (path === '/cycles') page = <CyclesPage />;
  else if ((params = match('/cycles/:id', path))) page = <CycleDashboardPage key={params.id} id={Number(params.id)} />;
  else if (path === '/templates') page = <TemplatesPage />;
  else if ((params = match('/templates/:id', path))) page = <TemplatesPage editId={Number(params.id)} />;
  else if (path === '/plans') page = <PlansPage />;
  else if ((params = match('/plans/:id', path))) page = <PlanPage key={params.id} id={Number(params.id)} query={query} />;
  else if ((params = match('/plans/:planId/items/new', path)))
    page = <ItemEditPage key={`${params.planId}-new`} planId={Number(params.planId)} itemId={null} query={query} />;
  else if ((params = match('/plans/:planId/items/:id', path)))
    page = <ItemEditPage key={params.id} planId={Number(params.planId)} itemId={Number(params.id)} query={query} />;
  else if (path === '/matrix') page = <MatrixPage query={query} />;
  else if (path === '/password') page = <PasswordPage />;
  else if (path === '/notifications') page = <NotificationsPage />;
  else if (path === '/delegations') page = <DelegationsPage />;
  else if (path === '/users') page = <UsersPage />;
  else if (path === '/organisation') page = <OrganisationPage />;
  else if (path === '/glossary') page = <GlossaryPage />;
  else if (path === '/records') page = <RecordsPage />;
  else if (path === '/settings') page = <TenantSettingsPage />;
  else if (path === '/transfers') page = <TransfersPage />;
  else if (path === '/external-review') page = <ExternalReviewPage />;
  else if (path === '/prefecture') page = <PrefectureComparisonPage code={query.get('code')} period={query.get('period')} />;
  else if (path === '/') page = null;

  return (
    <Shell actor={actor} path={path}>
      {page}
    </Shell>
  );
}

function NotFound() {
  return (
    <div className="card">
      <h1>ページが見つかりません</h1>
      <p>
        <Link to="/">トップへ戻る</Link>
      </p>
    </div>
  );
}

export function App() {
  return (
    <AuthProvider>
      <Routes />
    </AuthProvider>
  );
}
