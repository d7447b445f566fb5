#!/usr/bin/env bash
# Stops what scripts/up.sh started: the api, the worker and the demo mail catcher.
# PostgreSQL and Redis keep running (they are system services other programs may use);
# the database and var/mail/ are kept.
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

step "stopping api, worker and mail catcher"
for name in api worker mail-catcher; do stop_process "$name"; done
info "stopped / 停止しました (PostgreSQL and Redis are left running)"
