#!/usr/bin/env bash
# The start command: bash scripts/up.sh
# Installs what a fresh Debian machine lacks, starts PostgreSQL and Redis, builds, migrates,
# loads the demo data, starts a mail catcher (unless SMTP points elsewhere), then the api and
# the worker in the background. Re-running it restarts everything cleanly.
# Stop with: bash scripts/down.sh. Settings: .env or environment (see .env.example), e.g. PORT=3001.
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

load_env
export NODE_ENV="${NODE_ENV:-development}"
check_node
ensure_apt_packages \
  pg_ctlcluster=postgresql pg_isready=postgresql-client redis-server=redis-server redis-cli=redis-tools
ensure_postgres
ensure_redis yes
ensure_node_modules

step "stopping what a previous up.sh started (if anything)"
for name in api worker mail-catcher; do stop_process "$name"; done

ensure_database
build_apps || die "build failed (see the compiler output above)"

mkdir -p "$LOG_DIR" "$RUN_DIR"
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

# Demo mail: with SMTP on this machine and nothing listening there, catch it in var/mail/.
mail_where=""
if is_local_host "$SMTP_HOST"; then
  if (exec 3<>"/dev/tcp/127.0.0.1/$SMTP_PORT") 2>/dev/null; then
    step "SMTP: something already listens on $SMTP_HOST:$SMTP_PORT; using it"
    mail_where="the SMTP server on $SMTP_HOST:$SMTP_PORT"
  else
    step "starting the demo mail catcher on $SMTP_HOST:$SMTP_PORT (mail saved under var/mail/)"
    start_process mail-catcher "$LOG_DIR/mail.log" node "$REPO_ROOT/scripts/mail-catcher.js" --port "$SMTP_PORT" --host 127.0.0.1 --dir "$REPO_ROOT/var/mail"
    sleep 1
    pid_alive mail-catcher || { tail -n 5 "$LOG_DIR/mail.log" >&2; die "the mail catcher did not start (var/log/mail.log)"; }
    mail_where="var/mail/*.eml (subjects logged in var/log/mail.log)"
  fi
else
  step "SMTP: sending through $SMTP_HOST:$SMTP_PORT (configured)"
  mail_where="$SMTP_HOST:$SMTP_PORT"
fi

if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  die "port $PORT is already in use by another program; stop it or choose another port: PORT=3001 bash scripts/up.sh"
fi

step "starting api on port $PORT and worker (logs: var/log/api.log, var/log/worker.log)"
start_process api "$LOG_DIR/api.log" node "$REPO_ROOT/dist/apps/api/apps/api/src/main.js"
start_process worker "$LOG_DIR/worker.log" node "$REPO_ROOT/dist/apps/worker/apps/worker/src/main.js"

step "waiting for http://localhost:$PORT/health"
healthy=""
for _ in $(seq 1 60); do
  if curl -fsS -o /dev/null "http://localhost:$PORT/health" 2>/dev/null; then healthy=1; break; fi
  pid_alive api || break
  sleep 1
done
if [ -z "$healthy" ]; then
  tail -n 30 "$LOG_DIR/api.log" >&2
  die "the api did not become healthy within 60 s (var/log/api.log); stop the rest with: bash scripts/down.sh"
fi
info "health: $(curl -fsS "http://localhost:$PORT/health" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const h=JSON.parse(s);console.log(h.status+" ("+Object.entries(h.info).map(([k,v])=>k+" "+v.status).join(", ")+")")})')"
pid_alive worker || { tail -n 30 "$LOG_DIR/worker.log" >&2; die "the worker exited (var/log/worker.log)"; }
# The worker has connected once /health lists no queue without a worker.
workers_missing="?"
for _ in $(seq 1 30); do
  workers_missing="$(curl -fsS "http://localhost:$PORT/health" 2>/dev/null | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{console.log((JSON.parse(s).info.queues.workersMissing||[]).join(" "))}catch{console.log("?")}})')"
  [ -z "$workers_missing" ] && break
  pid_alive worker || break
  sleep 1
done
if [ -n "$workers_missing" ]; then
  tail -n 30 "$LOG_DIR/worker.log" >&2
  warn "no worker is connected to: $workers_missing — cycles will not open automatically and no reminder is mailed (var/log/worker.log)"
else
  info "worker connected to every queue"
fi

# Proves the demo password works, rather than printing one that might not.
login_check() {
  curl -fsS -o /dev/null -H 'Content-Type: application/json' \
    -d "{\"login\":\"$1\",\"password\":\"password\"}" "http://localhost:$PORT/api/auth/login" 2>/dev/null &&
    echo "ok" || echo "LOGIN FAILED"
}
ui_note=""
ui_status="$(curl -s -o /dev/null -w '%{http_code}' "http://localhost:$PORT/" || true)"
case "$ui_status" in 2* | 3*) ;; *) ui_note="  (画面は未ビルド / no web UI built yet: HTTP $ui_status)" ;; esac
demo_users="$(pg_psql -d "$DB_NAME" -Atc "select login || ' (' || array_to_string(roles, ',') || ')' from users where active order by id limit 12" 2>/dev/null | paste -sd ' ' - || true)"

cat <<EOF

========================================================================
 評価サイクル is running / 評価サイクルが起動しました

 画面 / UI:              http://localhost:$PORT/$ui_note
 API 仕様 / API docs:    http://localhost:$PORT/api/docs
 死活確認 / health:      http://localhost:$PORT/health

 デモ用ログイン / demo logins (password: password)
   planning / password   企画担当 / planning office   [$(login_check planning)]
   admin    / password   管理者 / administrator       [$(login_check admin)]
   その他 / others: ${demo_users:-(none found)}

 メール / mail:          $mail_where
 ログ / logs:            var/log/api.log, var/log/worker.log
 停止 / stop:            bash scripts/down.sh
========================================================================
EOF
