#!/usr/bin/env bash
# Nightly drift check: exit 0 when the tenant matches the state, 2 on drift
# (with drift.json and drift.txt written for the job's artifacts), 1 on error.
# PINGFORM names the binary (default: pingform on PATH); extra arguments are
# passed to pingform (for example --emulator).
set -uo pipefail
cd "$(dirname "$0")"
pingform=${PINGFORM:-pingform}

"$pingform" plan --refresh-only --detailed-exitcode --no-color "$@" > drift.txt
status=$?
if [ "$status" -eq 2 ]; then
  "$pingform" plan --refresh-only --json "$@" > drift.json
  echo "Drift detected: objects changed outside pingform (see drift.txt and drift.json)" >&2
fi
exit "$status"
