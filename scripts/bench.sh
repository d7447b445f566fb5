#!/usr/bin/env bash
# npm run bench: measures against the local PostgreSQL and Redis and rewrites BENCHMARKS.md.
# Usage: bash scripts/bench.sh [open-cycle ...] [--runs=N]   (a partial run writes bench/last-run.md)
# Prepares what it needs like the test command: packages, services, node_modules.
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

load_env
check_node
ensure_apt_packages pg_ctlcluster=postgresql pg_isready=postgresql-client redis-server=redis-server redis-cli=redis-tools
ensure_postgres
ensure_redis no
ensure_node_modules
step "building the api and the worker (the HTTP and peak benches run the compiled apps, as production does)"
npx nest build api || die "nest build api failed"
npx nest build worker || die "nest build worker failed"
step "running the benchmarks (bench/run.ts; several minutes)"
exec node -r ts-node/register/transpile-only -r tsconfig-paths/register bench/run.ts "$@"
