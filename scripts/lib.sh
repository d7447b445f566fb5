# Shared helpers for scripts/up.sh, scripts/test.sh and scripts/down.sh.
# Sourced, never run. Every step prints one line starting with "==>" so a reader of a CI log
# can see where a run stopped; failures print "ERROR:" and what to do about it.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

step() { printf '==> %s\n' "$*"; }
info() { printf '    %s\n' "$*"; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

# Reads .env (if any) so the scripts see the same settings as the api; then fills in the
# AppConfig defaults the scripts themselves need (config/src/app-config.ts is the source of truth).
load_env() {
  if [ -f "$REPO_ROOT/.env" ]; then
    step "loading settings from .env"
    set -a
    # shellcheck disable=SC1091
    . "$REPO_ROOT/.env"
    set +a
  fi
  # psql here logs in as the tables' owner (DB_MIGRATION_USER), like the migrations; the api and
  # the worker log in as DB_USER (default hyoka_app, created by the migrations), left to AppConfig.
  export DB_HOST="${DB_HOST:-127.0.0.1}" DB_PORT="${DB_PORT:-5432}" DB_MIGRATION_USER="${DB_MIGRATION_USER:-postgres}"
  export DB_NAME="${DB_NAME:-hyoka}"
  export REDIS_HOST="${REDIS_HOST:-127.0.0.1}" REDIS_PORT="${REDIS_PORT:-6379}"
  export SMTP_HOST="${SMTP_HOST:-127.0.0.1}" SMTP_PORT="${SMTP_PORT:-1025}"
  export PORT="${PORT:-3000}"
  export PUBLIC_URL="${PUBLIC_URL:-http://localhost:$PORT}"
  # psql/pg_isready/redis-cli read these, so passwords never appear on a command line.
  if [ -n "${DB_MIGRATION_PASSWORD:-}" ]; then export PGPASSWORD="$DB_MIGRATION_PASSWORD"; fi
  if [ -n "${REDIS_PASSWORD:-}" ]; then export REDISCLI_AUTH="$REDIS_PASSWORD"; fi
}

is_local_host() {
  case "$1" in 127.0.0.1 | localhost | ::1) return 0 ;; *) return 1 ;; esac
}

# Root runs commands directly; a non-root user with password-less sudo uses it; anyone else
# gets told what to run.
as_root() {
  if [ "$(id -u)" = 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo -n "$@"
  else
    return 126
  fi
}

check_node() {
  step "checking Node.js (>= 20.19 required)"
  command -v node >/dev/null 2>&1 || die "node is not installed; install Node.js 20.19 or newer (https://nodejs.org or Debian's nodejs from backports)"
  local version
  version="$(node -p 'process.versions.node')"
  if ! node -e '
    const [a, b] = process.versions.node.split(".").map(Number);
    process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1);'; then
    die "Node.js $version is too old: this project needs >= 20.19 (Nest 12 is loaded through require(esm))"
  fi
  info "node $version, npm $(npm -v 2>/dev/null)"
}

# ensure_apt_packages CHECK=PACKAGE ...: CHECK is a file or command that proves PACKAGE is there.
# apt-get update runs once, only when something has to be installed.
ensure_apt_packages() {
  local missing=() pair check pkg
  for pair in "$@"; do
    check="${pair%%=*}"
    pkg="${pair#*=}"
    if [ "${check#/}" != "$check" ]; then
      [ -e "$check" ] || missing+=("$pkg")
    else
      command -v "$check" >/dev/null 2>&1 || missing+=("$pkg")
    fi
  done
  step "checking system packages: ${*//=/ from }"
  if [ ${#missing[@]} -eq 0 ]; then
    info "all present"
    return 0
  fi
  info "missing: ${missing[*]}; installing with apt-get"
  if ! command -v apt-get >/dev/null 2>&1; then
    die "missing system packages: ${missing[*]}; this is not a Debian-like system (no apt-get): install them yourself and re-run"
  fi
  if ! as_root true; then
    die "missing system packages: ${missing[*]}; installing them needs root. Run: sudo apt-get update && sudo apt-get install -y ${missing[*]}"
  fi
  if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq; then
    die "apt-get update failed, so these packages could not be installed: ${missing[*]}"
  fi
  if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; then
    die "apt-get install failed for: ${missing[*]}; install them by hand and re-run"
  fi
  info "installed: ${missing[*]}"
}

# npm ci when node_modules is missing or does not match package-lock.json. The comparison is
# by content (name and version of every locked package), not by file time, because npm writes
# package-lock.json after node_modules/.package-lock.json and the times alone would trigger a
# full reinstall after every `npm install <pkg>`.
ensure_node_modules() {
  step "checking node_modules"
  cd "$REPO_ROOT"
  if [ ! -f package-lock.json ]; then
    info "no package-lock.json: running npm install"
    npm install --no-audit --no-fund || die "npm install failed"
    return 0
  fi
  local reason=""
  if [ ! -d node_modules ]; then
    reason="node_modules is missing"
  elif ! reason="$(node -e '
    const fs = require("fs");
    let installed;
    try { installed = JSON.parse(fs.readFileSync("node_modules/.package-lock.json", "utf8")).packages; }
    catch { console.log("node_modules/.package-lock.json is missing"); process.exit(1); }
    const locked = JSON.parse(fs.readFileSync("package-lock.json", "utf8")).packages;
    for (const [path, meta] of Object.entries(locked)) {
      if (path === "" || meta.link) continue;
      const have = installed[path];
      if (!have) {
        if (meta.optional || meta.peer) continue; // platform-specific or optional peer: fine to lack
        console.log(path + " is not installed"); process.exit(1);
      }
      if (have.version !== meta.version) { console.log(path + " is " + have.version + ", lock wants " + meta.version); process.exit(1); }
    }')"; then
    :
  fi
  if [ -z "$reason" ]; then
    info "up to date with package-lock.json"
    return 0
  fi
  info "$reason: running npm ci"
  if npm ci --no-audit --no-fund; then return 0; fi
  # The registry reachable here lacks some platform-specific optional packages (other
  # operating systems' builds of msgpackr-extract, unrs-resolver...), so the lock file
  # npm writes here has no entries for them and `npm ci` refuses it as out of sync.
  # `npm install` accepts the same lock file and installs the locked versions.
  warn "npm ci failed (see above); trying npm install with the same package-lock.json"
  npm install --no-audit --no-fund || die "npm install failed too (is the npm registry reachable?)"
}

# --- PostgreSQL -------------------------------------------------------------------------

pg_ready() { pg_isready -q -h "$DB_HOST" -p "$DB_PORT" -t 2 >/dev/null 2>&1; }

pg_psql() { psql -X -q -v ON_ERROR_STOP=1 -h "$DB_HOST" -p "$DB_PORT" -U "$DB_MIGRATION_USER" "$@"; }

# The local Debian cluster listening on DB_PORT, as "VERSION NAME", or nothing.
local_pg_cluster() {
  pg_lsclusters -h 2>/dev/null | awk -v port="$DB_PORT" '$3 == port { print $1, $2; exit }'
}

ensure_postgres() {
  step "checking PostgreSQL at $DB_HOST:$DB_PORT"
  if ! pg_ready; then
    is_local_host "$DB_HOST" || die "PostgreSQL at $DB_HOST:$DB_PORT does not answer, and it is not local, so it cannot be started here"
    local cluster
    cluster="$(local_pg_cluster)"
    if [ -z "$cluster" ]; then
      local version
      version="$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1)"
      [ -n "$version" ] || die "PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql)"
      info "no cluster on port $DB_PORT: creating $version/main"
      as_root pg_createcluster --port "$DB_PORT" "$version" main >/dev/null ||
        die "could not create a PostgreSQL cluster (needs root): pg_createcluster --port $DB_PORT $version main"
      cluster="$version main"
    fi
    info "starting PostgreSQL cluster $cluster"
    # shellcheck disable=SC2086
    as_root pg_ctlcluster --skip-systemctl-redirect $cluster start ||
      die "could not start PostgreSQL: pg_ctlcluster --skip-systemctl-redirect $cluster start (see /var/log/postgresql/)"
    local i
    for i in $(seq 1 30); do pg_ready && break; sleep 1; done
    pg_ready || die "PostgreSQL did not become ready within 30 s (see /var/log/postgresql/)"
  fi
  info "PostgreSQL is accepting connections"
  ensure_pg_login
}

# The migrations and the tests connect over TCP as DB_MIGRATION_USER (the api as DB_USER). On a
# fresh Debian cluster TCP logins need a password, so for a local cluster we add trust rules for
# the loopback addresses (a development convenience; the production database is configured by
# its owner).
ensure_pg_login() {
  if pg_psql -d postgres -Atc 'select 1' >/dev/null 2>&1; then
    info "user $DB_MIGRATION_USER can connect over $DB_HOST"
    return 0
  fi
  local error
  error="$(pg_psql -d postgres -Atc 'select 1' 2>&1 || true)"
  is_local_host "$DB_HOST" || die "cannot connect to PostgreSQL as $DB_MIGRATION_USER: $error"
  local cluster hba
  cluster="$(local_pg_cluster)"
  [ -n "$cluster" ] || die "cannot connect to PostgreSQL as $DB_MIGRATION_USER ($error), and no local cluster on port $DB_PORT to fix"
  hba="/etc/postgresql/${cluster/ /\/}/pg_hba.conf"
  if ! grep -qE '^host\s+all\s+all\s+127\.0\.0\.1/32\s+trust' "$hba" 2>/dev/null; then
    info "adding loopback trust rules to $hba (local development only)"
    as_root sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba" ||
      die "cannot edit $hba (needs root); add 'host all all 127.0.0.1/32 trust' at its top and reload PostgreSQL"
    # shellcheck disable=SC2086
    as_root pg_ctlcluster --skip-systemctl-redirect $cluster reload >/dev/null
    sleep 1
  fi
  if ! pg_psql -d postgres -Atc 'select 1' >/dev/null 2>&1 && [ "$DB_MIGRATION_USER" != postgres ]; then
    # CREATEROLE: the migrations create the application's role (DB_USER).
    info "creating role $DB_MIGRATION_USER (LOGIN CREATEDB CREATEROLE)"
    as_root runuser -u postgres -- psql -X -q -p "$DB_PORT" -c "CREATE ROLE \"$DB_MIGRATION_USER\" LOGIN CREATEDB CREATEROLE" >/dev/null || true
  fi
  pg_psql -d postgres -Atc 'select 1' >/dev/null 2>&1 ||
    die "still cannot connect to PostgreSQL as $DB_MIGRATION_USER: $(pg_psql -d postgres -Atc 'select 1' 2>&1 || true)"
  info "user $DB_MIGRATION_USER can connect over $DB_HOST"
}

ensure_database() {
  step "checking database $DB_NAME"
  if [ "$(pg_psql -d postgres -Atc "select 1 from pg_database where datname = '$DB_NAME'")" = 1 ]; then
    info "exists"
  else
    pg_psql -d postgres -c "CREATE DATABASE \"$DB_NAME\"" || die "could not create database $DB_NAME"
    info "created"
  fi
}

# --- Redis ------------------------------------------------------------------------------

redis() { redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" "$@"; }
redis_ready() { [ "$(redis ping 2>/dev/null)" = PONG ]; }

# ensure_redis yes|no: the argument is appendonly for a Redis we start ourselves
# (yes for `up`, where queued mail should survive a restart; no for tests).
ensure_redis() {
  local appendonly="${1:-no}"
  # A Sentinel set or a Cluster is run by whoever runs it; nothing is started or reconfigured here.
  if [ -n "${REDIS_MODE:-}" ] && [ "$REDIS_MODE" != standalone ]; then
    step "Redis: REDIS_MODE=$REDIS_MODE (not started or configured here; keep maxmemory-policy noeviction on every node)"
    return 0
  fi
  step "checking Redis at $REDIS_HOST:$REDIS_PORT"
  if ! redis_ready; then
    is_local_host "$REDIS_HOST" || die "Redis at $REDIS_HOST:$REDIS_PORT does not answer, and it is not local, so it cannot be started here"
    info "starting redis-server (appendonly $appendonly)"
    as_root mkdir -p /var/lib/redis /var/log/redis || die "cannot create /var/lib/redis (needs root)"
    local auth=()
    if [ -n "${REDIS_PASSWORD:-}" ]; then auth=(--requirepass "$REDIS_PASSWORD"); fi
    as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" --save "" \
      --appendonly "$appendonly" --appenddirname "appendonlydir-$REDIS_PORT" --dir /var/lib/redis --logfile /var/log/redis/ci.log \
      --maxmemory-policy noeviction "${auth[@]}" ||
      die "could not start redis-server (see /var/log/redis/ci.log)"
    local i
    for i in $(seq 1 30); do redis_ready && break; sleep 0.5; done
    redis_ready || die "Redis did not answer PING within 15 s (see /var/log/redis/ci.log)"
  fi
  info "Redis answers PING"
  # BullMQ loses jobs silently if Redis evicts keys; the worker refuses to start without this.
  local policy
  policy="$(redis config get maxmemory-policy 2>/dev/null | sed -n 2p)"
  if [ "$policy" != noeviction ]; then
    info "maxmemory-policy is '$policy': setting noeviction"
    redis config set maxmemory-policy noeviction >/dev/null || die "could not set Redis maxmemory-policy noeviction"
  fi
  info "maxmemory-policy noeviction"
  if [ "$appendonly" = yes ] && [ "$(redis config get appendonly 2>/dev/null | sed -n 2p)" != yes ]; then
    info "note: this Redis runs without AOF, so queued jobs are lost if it restarts (the reminder outbox re-enqueues them)"
  fi
}

# --- build ------------------------------------------------------------------------------

build_apps() {
  step "building api, worker (nest build, output under dist/apps/<app>/) and the web UI (vite, web/dist)"
  cd "$REPO_ROOT"
  npx nest build api && npx nest build worker && npm run --silent build:web
}

# --- background processes started by up.sh (pid files under var/run/) -------------------
# Each process runs under a small supervisor (`supervise`, below): the demo's stand-in for
# systemd's Restart=always. var/run/NAME.pid is the process, var/run/NAME.supervisor.pid its
# supervisor. HYOKA_RUN_DIR / HYOKA_LOG_DIR move them (the supervisor's test does).

RUN_DIR="${HYOKA_RUN_DIR:-$REPO_ROOT/var/run}"
LOG_DIR="${HYOKA_LOG_DIR:-$REPO_ROOT/var/log}"

# ours PID: the process is running and is still ours (its command line mentions the
# repository), so a recycled pid is never signalled.
ours() {
  [ -n "$1" ] && [ -r "/proc/$1/cmdline" ] || return 1
  tr '\0' ' ' <"/proc/$1/cmdline" | grep -q -e "$REPO_ROOT" -e 'dist/apps/' -e 'scripts/mail-catcher.js'
}

# pid_alive NAME: the process in var/run/NAME.pid is running and ours.
pid_alive() {
  local file="$RUN_DIR/$1.pid"
  [ -f "$file" ] && ours "$(cat "$file")"
}

# supervisor_alive NAME: NAME's supervisor is running (the process may be between restarts).
supervisor_alive() {
  local file="$RUN_DIR/$1.supervisor.pid"
  [ -f "$file" ] && ours "$(cat "$file")"
}

# stop_process NAME: SIGTERM to the supervisor (which stops restarting and passes one SIGTERM
# on: a second one would cut Nest's graceful shutdown short), up to 15 s for the process to
# finish (the worker finishes its current job), then SIGKILL. A process from before the
# supervisor (no supervisor pid file) gets the SIGTERM itself.
stop_process() {
  local name="$1" file="$RUN_DIR/$1.pid" sup_file="$RUN_DIR/$1.supervisor.pid" pid="" sup="" p i
  if supervisor_alive "$name"; then sup="$(cat "$sup_file")"; fi
  if pid_alive "$name"; then pid="$(cat "$file")"; fi
  if [ -z "$pid$sup" ]; then
    rm -f "$file" "$sup_file"
    return 0
  fi
  info "stopping $name (pid ${pid:-none, between restarts}${sup:+; supervisor $sup})"
  if [ -n "$sup" ]; then kill -TERM "$sup" 2>/dev/null || true; else kill -TERM "$pid" 2>/dev/null || true; fi
  for i in $(seq 1 30); do
    { [ -z "$pid" ] || [ ! -d "/proc/$pid" ]; } && { [ -z "$sup" ] || [ ! -d "/proc/$sup" ]; } && break
    sleep 0.5
  done
  for p in $pid $sup; do
    if [ -d "/proc/$p" ]; then
      warn "$name (pid $p) did not stop within 15 s: sending SIGKILL"
      kill -KILL "$p" 2>/dev/null || true
    fi
  done
  rm -f "$file" "$sup_file"
}

# supervise NAME LOGFILE COMMAND...: runs COMMAND, and again each time it exits, until the
# supervisor gets SIGTERM (then it passes SIGTERM to COMMAND, waits for it and exits). Waits
# 1, 2, 4 … 30 s between restarts; a run that lasted 60 s starts the wait at 1 s again. Every
# start and every exit is logged to LOGFILE. Run by start_process, in its own session.
supervise() {
  local name="$1" log="$2"
  shift 2
  local child="" sleeper="" stopping="" delay=1 started rc how
  trap 'stopping=1; [ -n "$sleeper" ] && kill -TERM "$sleeper" 2>/dev/null; [ -n "$child" ] && kill -TERM "$child" 2>/dev/null' TERM INT HUP
  while [ -z "$stopping" ]; do
    printf '\n----- %s started %s -----\n' "$name" "$(date -Iseconds)" >>"$log"
    "$@" >>"$log" 2>&1 </dev/null &
    child=$!
    echo "$child" >"$RUN_DIR/$name.pid"
    started=$SECONDS
    # wait returns early when the trap runs; the child may still be shutting down.
    while :; do
      wait "$child"
      rc=$?
      kill -0 "$child" 2>/dev/null || break
    done
    child=""
    [ -n "$stopping" ] && break
    if [ $((SECONDS - started)) -ge 60 ]; then delay=1; fi
    if [ "$rc" -gt 128 ]; then how="killed by signal $(kill -l $((rc - 128)) 2>/dev/null || echo $((rc - 128)))"; else how="exit code $rc"; fi
    printf '%s supervisor: %s exited (%s) after %ss; restarting in %ss\n' "$(date -Iseconds)" "$name" "$how" $((SECONDS - started)) "$delay" >>"$log"
    sleep "$delay" &
    sleeper=$!
    wait "$sleeper" 2>/dev/null
    sleeper=""
    delay=$((delay * 2 > 30 ? 30 : delay * 2))
  done
  printf '%s supervisor: %s stopped\n' "$(date -Iseconds)" "$name" >>"$log"
  rm -f "$RUN_DIR/$name.pid" "$RUN_DIR/$name.supervisor.pid"
}

# start_process NAME LOGFILE COMMAND...: runs COMMAND under `supervise` in its own session (so
# both outlive the terminal that ran up.sh), appending output to LOGFILE, and returns once the
# first run of COMMAND has its pid file.
start_process() {
  local name="$1" log="$2" i
  shift 2
  mkdir -p "$RUN_DIR" "$LOG_DIR"
  rm -f "$RUN_DIR/$name.pid"
  # bash -c's $0 is this file, so the supervisor's command line names the repository (see ours).
  setsid bash -c '. "$0"; supervise "$@"' "$REPO_ROOT/scripts/lib.sh" "$name" "$log" "$@" >>"$log" 2>&1 </dev/null &
  echo $! >"$RUN_DIR/$name.supervisor.pid"
  for i in $(seq 1 50); do
    [ -s "$RUN_DIR/$name.pid" ] && return 0
    sleep 0.1
  done
  warn "$name: its supervisor started no process within 5 s (see $log)"
}

# --- production install (up.sh --production) -------------------------------------------

# Where a production install keeps what must not be in the repository: its settings file and
# the signing key. /etc/hyoka as root, else the user's config directory.
production_config_dir() {
  if [ "$(id -u)" = 0 ]; then echo /etc/hyoka; else echo "${XDG_CONFIG_HOME:-$HOME/.config}/hyoka"; fi
}

# env_line NAME: NAME=value for hyoka.env, double-quoted (systemd's EnvironmentFile and bash
# read it alike); nothing for an unset variable. A value either would read differently is refused.
env_line() {
  local value="${!1-}"
  [ -n "$value" ] || return 0
  case "$value" in *'"'* | *'$'* | *'\'* | *'`'*) die "$1 contains \", \$, \\ or \`: write it into the settings file by hand" ;; esac
  printf '%s="%s"\n' "$1" "$value"
}

# The production settings: CONFIG_DIR/hyoka.env, written once (0600) from the current settings
# (.env, environment) with NODE_ENV=production and the key file, then read back, so the api and
# the worker see the same values under systemd and under the demo supervisor. Edit it and re-run.
load_production_env() {
  CONFIG_DIR="${HYOKA_CONFIG_DIR:-$(production_config_dir)}"
  ENV_FILE="$CONFIG_DIR/hyoka.env"
  step "production installation / 本番: settings in $ENV_FILE"
  if [ -n "${JWT_SECRET:-}" ]; then
    warn "JWT_SECRET is ignored by --production: the key is read from JWT_SECRET_FILE ($CONFIG_DIR/jwt-secret); to use a key of your own, write it into that file (mode 0600)"
    unset JWT_SECRET
  fi
  if [ ! -f "$ENV_FILE" ]; then
    mkdir -p "$CONFIG_DIR" && chmod 700 "$CONFIG_DIR" || die "cannot create $CONFIG_DIR"
    export NODE_ENV=production DEMO_MODE=false BIND_ADDRESS="${BIND_ADDRESS:-127.0.0.1}" JWT_SECRET_FILE="$CONFIG_DIR/jwt-secret"
    export LOG_FORMAT="${LOG_FORMAT:-json}"
    (
      umask 077
      {
        echo "# 評価サイクル production settings, written by scripts/up.sh --production on $(date -Iseconds)."
        echo "# Read by the api and the worker (systemd EnvironmentFile=, or the demo supervisor); every"
        echo "# setting is described in .env.example. Edit, then run bash scripts/up.sh --production again."
        local name
        for name in NODE_ENV DEMO_MODE BIND_ADDRESS PORT PUBLIC_URL JWT_SECRET_FILE JWT_EXPIRES_IN \
          DB_HOST DB_PORT DB_USER DB_PASSWORD DB_NAME DB_POOL_SIZE REDIS_HOST REDIS_PORT REDIS_PASSWORD QUEUE_PREFIX \
          SMTP_HOST SMTP_PORT SMTP_SECURE SMTP_USER SMTP_PASSWORD MAIL_FROM TRUST_PROXY LOG_LEVEL LOG_FORMAT; do
          env_line "$name"
        done
      } >"$ENV_FILE"
    ) || die "cannot write $ENV_FILE"
    info "written (0600); edit it for the real SMTP server, PUBLIC_URL and TRUST_PROXY"
  else
    info "exists: kept as it is"
  fi
  set -a
  # shellcheck disable=SC1090
  . "$ENV_FILE"
  set +a
  # What the installer and the api rely on, whatever the file says.
  export NODE_ENV=production JWT_SECRET_FILE="${JWT_SECRET_FILE:-$CONFIG_DIR/jwt-secret}"
  export DEMO_MODE="${DEMO_MODE:-false}" BIND_ADDRESS="${BIND_ADDRESS:-127.0.0.1}"
  export PORT="${PORT:-3000}"
  export PUBLIC_URL="${PUBLIC_URL:-http://localhost:$PORT}"
}

# The installer wrote the key 0600; a key file someone loosened is tightened again (the api refuses it).
secure_secret_file() {
  [ -f "$JWT_SECRET_FILE" ] || die "the installer left no signing key at $JWT_SECRET_FILE"
  chmod 600 "$JWT_SECRET_FILE"
}

# systemd is PID 1 here (what sd_booted checks), not merely installed.
systemd_running() { [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; }

# Fills in deploy/systemd/*.service and (re)starts the units; root (or sudo) is checked by the caller.
# They run as HYOKA_USER, by default the owner of the repository directory.
install_systemd_units() {
  local user="${HYOKA_USER:-$(stat -c %U "$REPO_ROOT")}" node unit
  node="$(command -v node)"
  [ "$user" = root ] && warn "api and worker will run as root; set HYOKA_USER to an account that can read $REPO_ROOT"
  step "installing systemd units hyoka-api, hyoka-worker (User=$user, EnvironmentFile=$ENV_FILE)"
  for unit in hyoka-api hyoka-worker; do
    sed -e "s#@REPO_ROOT@#$REPO_ROOT#g" -e "s#@USER@#$user#g" -e "s#@ENV_FILE@#$ENV_FILE#g" -e "s#@NODE@#$node#g" \
      "$REPO_ROOT/deploy/systemd/$unit.service" | as_root tee "/etc/systemd/system/$unit.service" >/dev/null ||
      die "cannot write /etc/systemd/system/$unit.service"
  done
  as_root chown "$user" "$JWT_SECRET_FILE" || die "cannot give $JWT_SECRET_FILE to $user"
  as_root systemctl daemon-reload || die "systemctl daemon-reload failed"
  as_root systemctl enable hyoka-api hyoka-worker >/dev/null 2>&1 || die "systemctl enable hyoka-api hyoka-worker failed"
  as_root systemctl restart hyoka-api hyoka-worker || die "systemctl restart failed: journalctl -u hyoka-api -u hyoka-worker"
  info "enabled and started (Restart=always; they start again after a reboot)"
}

# down.sh: the units a production install left running under systemd.
stop_systemd_units() {
  systemd_running || return 0
  local unit
  for unit in hyoka-api hyoka-worker; do
    if systemctl is-active --quiet "$unit" 2>/dev/null; then
      info "stopping systemd unit $unit (it starts again at boot; systemctl disable $unit to prevent that)"
      as_root systemctl stop "$unit" || warn "could not stop $unit (needs root): systemctl stop $unit"
    fi
  done
}
