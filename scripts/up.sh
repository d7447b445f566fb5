#!/usr/bin/env bash
# The start command: bash scripts/up.sh              (a demo, on this machine only)
#                    bash scripts/up.sh --production (a real installation)
# Installs what a fresh Debian machine lacks, starts PostgreSQL and Redis, builds, migrates,
# then starts the api and the worker in the background, each under a supervisor that restarts it.
# The demo loads the demo data (every password "password"), starts a mail catcher (unless SMTP
# points elsewhere) and listens on 127.0.0.1 only. --production loads no demo data, keeps its
# settings and a generated signing key outside the repository, creates the first administrator
# with a one-time password (printed once), and runs api and worker under systemd where it runs.
# Re-running it restarts everything cleanly. Stop with: bash scripts/down.sh.
# Settings: .env or environment (see .env.example), e.g. PORT=3001.
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

MODE=demo
for arg in "$@"; do
  case "$arg" in
    --production) MODE=production ;;
    -h | --help)
      sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *) die "unknown argument '$arg': bash scripts/up.sh [--production]" ;;
  esac
done

load_env
if [ "$MODE" = production ]; then
  load_production_env
else
  # A demo: published passwords, so this machine only, and it says so (the UI's 「デモ環境」).
  export NODE_ENV="${NODE_ENV:-development}" DEMO_MODE="${DEMO_MODE:-true}" BIND_ADDRESS="${BIND_ADDRESS:-127.0.0.1}"
  step "demo installation / デモ環境: demo data, every password \"password\", listening on $BIND_ADDRESS only"
fi
check_node
ensure_apt_packages \
  pg_ctlcluster=postgresql pg_isready=postgresql-client redis-server=redis-server redis-cli=redis-tools \
  /usr/bin/chromium=chromium /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc=fonts-noto-cjk
ensure_postgres
ensure_redis yes
ensure_node_modules

step "stopping what a previous up.sh started (if anything)"
for name in api worker mail-catcher; do stop_process "$name"; done

ensure_database
build_apps || die "build failed (see the compiler output above)"

mkdir -p "$LOG_DIR" "$RUN_DIR"
admin_login="" admin_password=""
if [ "$MODE" = production ]; then
  # The installer prints the one-time password on stdout, kept in this shell only (never in a
  # log); its progress goes to var/log/install.log.
  step "installing: signing key, migrations, first administrator (npm run install:production:dist; log: var/log/install.log)"
  if ! install_out="$(node "$REPO_ROOT/dist/apps/api/libs/org/src/install/install.cli.js" --email "${HYOKA_ADMIN_EMAIL:-}" 2>"$LOG_DIR/install.log")"; then
    tail -n 30 "$LOG_DIR/install.log" >&2
    die "the production install failed (full log: var/log/install.log)"
  fi
  sed 's/^/    /' "$LOG_DIR/install.log"
  admin_login="$(printf '%s\n' "$install_out" | sed -n 's/^ADMIN_LOGIN=//p')"
  admin_password="$(printf '%s\n' "$install_out" | sed -n 's/^ADMIN_ONE_TIME_PASSWORD=//p')"
  unset install_out
  secure_secret_file
else
  step "running migrations on $DB_NAME (log: var/log/migrate.log)"
  if ! npm run --silent migration:run >"$LOG_DIR/migrate.log" 2>&1; then
    tail -n 30 "$LOG_DIR/migrate.log" >&2
    die "migrations failed (full log: var/log/migrate.log)"
  fi
  grep -E 'has been executed successfully|No migrations are pending' "$LOG_DIR/migrate.log" | sed 's/^/    /' || true

  step "loading demo data (npm run seed; log: var/log/seed.log)"
  if ! npm run --silent seed >"$LOG_DIR/seed.log" 2>&1; then
    tail -n 30 "$LOG_DIR/seed.log" >&2
    die "seeding failed (full log: var/log/seed.log)"
  fi
  tail -n 5 "$LOG_DIR/seed.log" | sed 's/^/    /'
fi

# Demo mail: with SMTP on this machine and nothing listening there, catch it in var/mail/.
# A production install never catches mail: it warns instead.
mail_where=""
if [ "$MODE" = production ]; then
  mail_where="$SMTP_HOST:$SMTP_PORT"
  if ! (exec 3<>"/dev/tcp/$SMTP_HOST/$SMTP_PORT") 2>/dev/null; then
    warn "no SMTP server answers at $SMTP_HOST:$SMTP_PORT: mail (reminders, lock notices) waits and is retried; set SMTP_HOST/SMTP_PORT in $ENV_FILE and run this again"
    mail_where="$SMTP_HOST:$SMTP_PORT (NOT ANSWERING)"
  fi
elif is_local_host "$SMTP_HOST"; then
  if (exec 3<>"/dev/tcp/127.0.0.1/$SMTP_PORT") 2>/dev/null; then
    step "SMTP: something already listens on $SMTP_HOST:$SMTP_PORT; using it"
    mail_where="the SMTP server on $SMTP_HOST:$SMTP_PORT"
  else
    step "starting the demo mail catcher on $SMTP_HOST:$SMTP_PORT (mail saved under var/mail/)"
    start_process mail-catcher "$LOG_DIR/mail.log" node "$REPO_ROOT/scripts/mail-catcher.js" --port "$SMTP_PORT" --host 127.0.0.1 --dir "$REPO_ROOT/var/mail"
    sleep 1
    pid_alive mail-catcher || {
      tail -n 5 "$LOG_DIR/mail.log" >&2
      stop_process mail-catcher
      die "the mail catcher did not start (var/log/mail.log)"
    }
    mail_where="var/mail/*.eml (subjects logged in var/log/mail.log)"
  fi
else
  step "SMTP: sending through $SMTP_HOST:$SMTP_PORT (configured)"
  mail_where="$SMTP_HOST:$SMTP_PORT"
fi

if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  die "port $PORT is already in use by another program; stop it or choose another port: PORT=3001 bash scripts/up.sh"
fi

SUPERVISOR=demo
if [ "$MODE" = production ] && systemd_running; then
  if as_root true; then
    SUPERVISOR=systemd
  else
    warn "systemd runs here, but installing its units needs root (or password-less sudo): using the demo supervisor instead"
  fi
elif [ "$MODE" = production ]; then
  warn "systemd is not running on this machine (no /run/systemd/system): api and worker run under the demo supervisor of scripts/lib.sh, which restarts them when they die but does not start them again after a reboot"
fi
if [ "$SUPERVISOR" = systemd ]; then
  install_systemd_units
else
  step "starting api on $BIND_ADDRESS:$PORT and worker, each under a supervisor that restarts it (logs: var/log/api.log, var/log/worker.log)"
  start_process api "$LOG_DIR/api.log" node "$REPO_ROOT/dist/apps/api/apps/api/src/main.js"
  start_process worker "$LOG_DIR/worker.log" node "$REPO_ROOT/dist/apps/worker/apps/worker/src/main.js"
fi
# Still starting (or restarting): its supervisor runs, whatever the process is doing.
running() { if [ "$SUPERVISOR" = systemd ]; then systemctl is-active --quiet "hyoka-$1"; else supervisor_alive "$1"; fi; }
recent_log() { if [ "$SUPERVISOR" = systemd ]; then journalctl -u "hyoka-$1" -n 30 --no-pager 2>/dev/null || true; else tail -n 30 "$LOG_DIR/$1.log"; fi; }

step "waiting for http://localhost:$PORT/health"
healthy=""
for _ in $(seq 1 60); do
  if curl -fsS -o /dev/null "http://localhost:$PORT/health" 2>/dev/null; then healthy=1; break; fi
  running api || break
  sleep 1
done
if [ -z "$healthy" ]; then
  recent_log api >&2
  die "the api did not become healthy within 60 s (var/log/api.log); stop the rest with: bash scripts/down.sh"
fi
info "health: $(curl -fsS "http://localhost:$PORT/health" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const h=JSON.parse(s);console.log(h.status+" ("+Object.entries(h.info).map(([k,v])=>k+" "+v.status).join(", ")+")")})')"
running worker || { recent_log worker >&2; die "the worker is not running (var/log/worker.log)"; }
# The worker has connected once /health lists no queue without a worker.
workers_missing="?"
for _ in $(seq 1 30); do
  workers_missing="$(curl -fsS "http://localhost:$PORT/health" 2>/dev/null | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{console.log((JSON.parse(s).info.queues.workersMissing||[]).join(" "))}catch{console.log("?")}})')"
  [ -z "$workers_missing" ] && break
  running worker || break
  sleep 1
done
if [ -n "$workers_missing" ]; then
  recent_log worker >&2
  warn "no worker is connected to: $workers_missing — cycles will not open automatically and no reminder is mailed (var/log/worker.log)"
else
  info "worker connected to every queue"
fi

ui_note=""
ui_status="$(curl -s -o /dev/null -w '%{http_code}' "http://localhost:$PORT/" || true)"
case "$ui_status" in 2* | 3*) ;; *) ui_note="  (画面は未ビルド / no web UI built yet: HTTP $ui_status)" ;; esac
if [ "$SUPERVISOR" = systemd ]; then
  supervision="systemd: hyoka-api, hyoka-worker (Restart=always; journalctl -u hyoka-api)"
else
  supervision="scripts/lib.sh の監視ループ / demo supervisor (restarts a process that dies)"
fi

if [ "$MODE" = production ]; then
  if [ -n "$admin_password" ]; then
    admin_lines=" 最初の管理者 / first administrator:
   ログインID / login:                 $admin_login
   一時パスワード / one-time password:  $admin_password
   この一時パスワードはここに一度だけ表示され、どこにも保存されていません。初回ログイン時に
   新しいパスワードへの変更が必要です。 / Shown only here and stored nowhere; it must be
   changed at the first sign-in, and stops working once changed."
  else
    admin_lines=" 管理者 / administrator:  登録済み。パスワードは表示しません / already exists (no password printed)"
  fi
  cat <<EOF

========================================================================
 評価サイクル (本番 / production) is running / 評価サイクルが起動しました

 画面 / UI:              http://localhost:$PORT/$ui_note   (listening on $BIND_ADDRESS:$PORT)
 死活確認 / health:      http://localhost:$PORT/health

$admin_lines

 設定 / settings:        $ENV_FILE
 署名鍵 / signing key:   $JWT_SECRET_FILE (0600; replacing it signs everyone out)
 監視 / supervision:     $supervision
 メール / mail:          $mail_where
 停止 / stop:            bash scripts/down.sh
========================================================================
EOF
  exit 0
fi

# Proves the demo password works, rather than printing one that might not.
login_check() {
  curl -fsS -o /dev/null -H 'Content-Type: application/json' \
    -d "{\"login\":\"$1\",\"password\":\"password\"}" "http://localhost:$PORT/api/auth/login" 2>/dev/null &&
    echo "ok" || echo "LOGIN FAILED"
}
demo_users="$(pg_psql -d "$DB_NAME" -Atc "select login || ' (' || array_to_string(roles, ',') || ')' from users where active order by id limit 12" 2>/dev/null | paste -sd ' ' - || true)"

cat <<EOF

========================================================================
 評価サイクル is running / 評価サイクルが起動しました
 *** デモ環境です / THIS IS A DEMO: demo data and published passwords, reachable only from
     this machine ($BIND_ADDRESS). A real installation: bash scripts/up.sh --production ***

 画面 / UI:              http://localhost:$PORT/$ui_note
 公開サイト / public:    http://localhost:$PORT/public (公表済みの計画・オープンデータ・Atom フィード)
 API 仕様 / API docs:    http://localhost:$PORT/api/docs
 死活確認 / health:      http://localhost:$PORT/health

 デモ用ログイン / demo logins (password: password)
   planning / password   企画担当 / planning office   [$(login_check planning)]
   admin    / password   管理者 / administrator       [$(login_check admin)]
   その他 / others: ${demo_users:-(none found)}

 メール / mail:          $mail_where
 ログ / logs:            var/log/api.log, var/log/worker.log
 監視 / supervision:     $supervision
 停止 / stop:            bash scripts/down.sh
========================================================================
EOF
