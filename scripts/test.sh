#!/usr/bin/env bash
# The test command: bash scripts/test.sh [jest args...]   (also: npm test, .ci/run)
# Prepares everything a fresh Debian machine lacks (system packages, services, node_modules),
# type-checks, builds, then runs every jest suite against the real PostgreSQL and Redis.
# Extra arguments go to jest: bash scripts/test.sh test/cycles   or   -t 'opens a cycle'.
# LONG_TESTS=1 includes the long-running suites (they are skipped otherwise).
# The last line of output is always "tests: N passed, N failed".
set -uo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

# Set-up failures (missing packages, services that will not start) stop here with an ERROR
# line; the closing line still appears so CI can read it.
trap 'rc=$?; if [ "$rc" != 0 ] && [ -z "${JEST_RAN:-}" ]; then echo "tests: 0 passed, 0 failed"; fi' EXIT
set -e

load_env
check_node
ensure_apt_packages \
  pg_ctlcluster=postgresql pg_isready=postgresql-client redis-server=redis-server redis-cli=redis-tools \
  /usr/bin/chromium=chromium /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc=fonts-noto-cjk \
  pdfinfo=poppler-utils pdftotext=poppler-utils
# The browser tests (playwright-core) drive Debian's chromium; never a downloaded browser.
# Japanese fonts, so the screenshots in test-output/screenshots show text rather than boxes.
# poppler-utils: the record tests open the printed PDF (pdfinfo: pages and A4; pdftotext: its text).
export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
info "browser for UI tests: $CHROMIUM_PATH"
ensure_postgres
ensure_redis no
ensure_node_modules
set +e

problems=()
step "type-checking (tsc -p tsconfig.json --noEmit)"
if npx tsc -p tsconfig.json --noEmit; then info "no type errors"; else problems+=("type-check"); fi
# The web is type-checked too: its API types are generated from the API's DTOs, so a changed shape breaks here.
step "type-checking the web UI (npm run typecheck:web)"
if npm run -s typecheck:web; then info "no type errors in web/"; else problems+=("web type-check"); fi
# The committed contract (openapi.json, web/src/api-types.gen.ts) must be what the DTOs say now;
# regenerated into a temporary directory, so the working tree is left as it was.
step "checking the API contract is current (npm run openapi:check)"
if npm run -s openapi:check; then info "openapi.json and the web's generated types are current"; else problems+=("API contract (run: npm run openapi)"); fi
# Every domain word is listed once, in libs/domain: no hand-written union, array or SQL IN-list of them elsewhere.
step "checking the vocabulary (npm run check:vocabulary)"
if npm run -s check:vocabulary; then info "the domain's enumerations are imported, never re-listed"; else problems+=("vocabulary (see the lists above)"); fi
# Each table has one owning lib (issue #22): no other lib's SQL or entity class touches any table.
step "checking table ownership (npm run check:ownership)"
if npm run -s check:ownership; then info "every table is used only by its owning lib"; else problems+=("table ownership (see the uses above)"); fi
step "linting (eslint, typescript-eslint) and checking the format (prettier --check)"
if npm run -s lint; then info "no lint errors"; else problems+=("lint"); fi
if npm run -s format:check; then info "formatted as prettier formats it"; else problems+=("format (run: npm run format)"); fi

if build_apps; then info "built dist/apps/api and dist/apps/worker"; else problems+=("build"); fi

export LONG_TESTS="${LONG_TESTS:-}"
if [ "$LONG_TESTS" = 1 ]; then
  step "running jest (LONG_TESTS=1: long-running suites included)"
else
  step "running jest (long-running suites skipped; LONG_TESTS=1 includes them)"
fi
mkdir -p test-output
rm -f test-output/jest.json
JEST_RAN=1
NODE_OPTIONS="${NODE_OPTIONS:+$NODE_OPTIONS }--experimental-vm-modules" \
  JEST_RESULT_FILE=test-output/jest.json npx jest --ci "$@"
jest_rc=$?

rc=$jest_rc
if [ ${#problems[@]} -gt 0 ]; then
  echo "FAILED before jest: ${problems[*]} (see above)"
  [ "$rc" = 0 ] && rc=1
fi
echo "jest exit code: $jest_rc"
node scripts/jest-summary.js test-output/jest.json
exit "$rc"
