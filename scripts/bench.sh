#!/usr/bin/env bash
# npm run bench: measures against the local PostgreSQL and Redis and rewrites BENCHMARKS.md.
# Usage: bash scripts/bench.sh [open-cycle ...] [--runs=N]
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund
exec node -r ts-node/register/transpile-only -r tsconfig-paths/register bench/run.ts "$@"
