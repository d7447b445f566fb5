#!/usr/bin/env bash
# Stops what scripts/up.sh started: the api, the worker and the demo mail catcher, with the
# supervisor loops that restart them (or, after up.sh --production under systemd, its units).
# PostgreSQL and Redis keep running (they are system services other programs may use);
# the database and var/mail/ are kept.
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

step "stopping api, worker and mail catcher (and their supervisors)"
for name in api worker mail-catcher; do stop_process "$name"; done
stop_systemd_units
info "stopped / 停止しました (PostgreSQL and Redis are left running)"
