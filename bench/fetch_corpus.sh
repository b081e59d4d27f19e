#!/usr/bin/env bash
# Make sure the benchmark corpus is in place; fetch it only when it is missing or incomplete.
# Usage: bash bench/fetch_corpus.sh        (GRADGUARD_CORPUS overrides the destination, default /tmp/gradguard-corpus)
# The corpus is third-party code: it lives outside the repo and is never committed.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
SHARED=${GRADGUARD_SHARED:-$(cd "$HERE/../.." && pwd)/shared}
DEST=${GRADGUARD_CORPUS:-/tmp/gradguard-corpus}
EXPECTED_FILES=${GRADGUARD_CORPUS_FILES:-2852}   # what shared/corpus/fetch.sh extracts from its 10 pinned wheels

count_files() { { find "$DEST/src" -type f -name '*.py' 2>/dev/null || true; } | wc -l; }

missing_core() {
  # prints the first file of core.txt that is absent, if any
  while IFS= read -r rel; do
    [ -z "$rel" ] && continue
    [ -f "$DEST/src/$rel" ] || { echo "$rel"; return; }
  done < "$SHARED/corpus/core.txt"
}

have=$(count_files)
if [ "$have" -eq "$EXPECTED_FILES" ] && [ -z "$(missing_core)" ]; then
  echo "corpus present: $DEST/src ($have files)"
  exit 0
fi
echo "corpus at $DEST/src has $have of $EXPECTED_FILES files; fetching" >&2
bash "$SHARED/corpus/fetch.sh" "$DEST"
have=$(count_files)
if [ "$have" -ne "$EXPECTED_FILES" ]; then
  echo "fetched corpus has $have files, expected $EXPECTED_FILES" >&2
  exit 1
fi
echo "corpus ready: $DEST/src ($have files)"
