#!/usr/bin/env bash
# Checks that no file includes a header from a layer above its own (style guide §1).
# Layer order, lowest first. A file in layer N may include "rill/<layer>/..." only for layers <= N.
set -euo pipefail
cd "$(dirname "$0")/.."
layers=(base wasm engine api component concurrency wasi host cli)
rank() { local i; for i in "${!layers[@]}"; do [ "${layers[$i]}" = "$1" ] && { echo "$i"; return; }; done; echo -1; }
status=0
while IFS= read -r file; do
  own=$(echo "$file" | cut -d/ -f2)
  own_rank=$(rank "$own")
  [ "$own_rank" -lt 0 ] && continue
  while IFS= read -r inc; do
    dep=$(echo "$inc" | sed -E 's|.*"rill/([a-z0-9_]+)/.*|\1|')
    dep_rank=$(rank "$dep")
    if [ "$dep_rank" -gt "$own_rank" ]; then
      echo "layer violation: $file includes $inc ($own may not use $dep)"
      status=1
    fi
  done < <(grep -oE '#include "rill/[a-z0-9_]+/[^"]+"' "$file" || true)
done < <(find src -name '*.h' -o -name '*.cpp' -o -name '*.inc' | sort)
[ $status -eq 0 ] && echo "layers: ok"
exit $status
