#!/usr/bin/env bash
# Rewrites tests/spec/expected_failures.txt from a fresh run of the core spec suite: every failing
# command gets a line; entries that still fail keep their hand-written reason, fixed ones disappear.
#   tests/spec/update_expected_failures.sh [RILL_BINARY] [SUITE_DIR]
# Whole-file failures (crash, timeout, unreadable script) cannot be listed; they are printed instead.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
rill=${1:-$here/../../build/rill}
suite=${2:-$here/../../../shared/testsuite/core}
list=$here/expected_failures.txt
[ -x "$rill" ] || { echo "no rill binary at $rill (build it first)" >&2; exit 2; }
[ -d "$suite" ] || { echo "no test suite at $suite" >&2; exit 2; }

run=$(mktemp)
new=$(mktemp)
trap 'rm -f "$run" "$new"' EXIT
"$rill" wast --isolate --max-failures 1000000 "$suite"/*.json >"$run" || true

{
  grep -E '^#' "$list" 2>/dev/null || true
  # Old list first (key -> reason), then the run's "  script.json:LINE: FAIL type: detail" lines.
  awk '
    FNR == NR {
      if ($0 ~ /^[[:space:]]*(#|$)/) next
      key = $1; sub(/^[^[:space:]]+[[:space:]]+/, ""); old[key] = $0; next
    }
    /^  [^ ]+:[0-9]+: FAIL / {
      split(substr($1, 1, length($1) - 1), parts, ":")
      if (parts[2] == 0) next
      key = parts[1] ":" parts[2]
      detail = $0; sub(/^  [^ ]+ FAIL /, "", detail)
      if (length(detail) > 160) detail = substr(detail, 1, 157) "..."
      print key " " ((key in old) ? old[key] : "triage: " detail)
    }
  ' "$list" "$run"
} >"$new"
mv "$new" "$list"
trap 'rm -f "$run"' EXIT

grep -E '^  [^ ]+:0: FAIL ' "$run" >&2 || true
echo "$(grep -vcE '^#' "$list" || true) entries in $list; $(tail -n 1 "$run")"
