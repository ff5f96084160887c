#!/usr/bin/env bash
# What search costs: the generated corpus (`dossier-benchmarks corpus N DIR real`, the sample's
# templates and its search page) built without and with `search: true`, twice each, output
# removed before each run; the index's size and files; bytes fetched for five queries in
# chromium (Benchmarks/search-bytes.py); and Pagefind (PyPI pagefind-bin) indexing the same
# output. Usage: bash Benchmarks/search.sh [articles=10000]
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE=${1:-10000}
make -s deps >/dev/null
swift build -c release --product dossier >/dev/null
swift build -c release --product dossier-benchmarks >/dev/null
WORK=$(mktemp -d -p "${BENCH_DIR:-/tmp}")
trap 'rm -rf "$WORK"' EXIT
.build/release/dossier-benchmarks corpus "$SIZE" "$WORK/c" real >/dev/null
SITE="$WORK/c/dossier"
cp Templates/search.mustache "$SITE/Templates/"
measure() { # label, command...: wall, user, system, peak MB
    local label=$1; shift
    /usr/bin/time -f "$label %e s wall, %U s user, %S s system, %M KB peak" "$@" >/dev/null 2>"$WORK/t" || { cat "$WORK/t"; exit 1; }
    tail -1 "$WORK/t"
}
for run in 1 2; do
    rm -rf "$SITE/Public" "$SITE/.dossier-cache"; sync
    measure "without search:" .build/release/dossier build --root "$SITE" --quiet
done
printf 'search: true\n' >>"$SITE/Content/site.yml"
for run in 1 2; do
    rm -rf "$SITE/Public" "$SITE/.dossier-cache"; sync
    measure "with search:   " .build/release/dossier build --root "$SITE" --quiet
done
echo "index: $(du -sb "$SITE/Public/search" | cut -f1) bytes in $(find "$SITE/Public/search" -type f | wc -l) files"
python3 -c 'import playwright' 2>/dev/null || python3 -m pip install --quiet axe-playwright-python
python3 Benchmarks/search-bytes.py "$SITE/Public" "article 5" "tender" "akimat monitoring" "topic 18" "winner budget"
python3 -c 'import pagefind_bin' 2>/dev/null || python3 -m pip install --quiet pagefind-bin
rm -rf "$SITE/Public/pagefind"
measure "pagefind:      " python3 -m pagefind_bin --site "$SITE/Public"
echo "pagefind index: $(du -sb "$SITE/Public/pagefind" | cut -f1) bytes in $(find "$SITE/Public/pagefind" -type f | wc -l) files"
echo "$(date -u +%Y-%m-%d), $(nproc) cores, $SIZE articles"
