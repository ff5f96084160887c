#!/usr/bin/env bash
# Builds the same generated corpus with Dossier and with Hugo (`apt-get install hugo`),
# alternating runs, and prints wall time, CPU time and peak memory of each and their ratios.
# Usage: bash Benchmarks/compare-hugo.sh [articles=10000] [runs=3]
set -euo pipefail
cd "$(dirname "$0")/.."
ARTICLES=${1:-10000}
RUNS=${2:-3}
command -v hugo >/dev/null || { echo "hugo is not installed (apt-get install hugo)"; exit 1; }
swift build -c release --product dossier --product dossier-benchmarks >/dev/null 2>&1 || swift build -c release >/dev/null
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
.build/release/dossier-benchmarks corpus "$ARTICLES" "$WORK"
measure() { # label, command...
    local label=$1; shift
    /usr/bin/time -f "$label %e %U %S %M" "$@" >/dev/null 2>>"$WORK/times" || { echo "$label failed"; tail -5 "$WORK/times"; exit 1; }
}
for run in $(seq "$RUNS"); do
    rm -rf "$WORK/dossier/Public" "$WORK/hugo/public"
    measure dossier .build/release/dossier build --root "$WORK/dossier" --quiet
    measure hugo hugo --source "$WORK/hugo" --quiet
done
python3 - "$WORK/times" "$ARTICLES" <<'PY'
import sys, statistics
rows = {}
for line in open(sys.argv[1]):
    parts = line.split()
    if len(parts) == 5 and parts[0] in ("dossier", "hugo"):
        label, wall, user, sys_, rss = parts
        rows.setdefault(label, []).append((float(wall), float(user) + float(sys_), int(rss) / 1024))
def med(label, i): return statistics.median(r[i] for r in rows[label])
print(f"{sys.argv[2]} articles, median of {len(rows['dossier'])} alternating runs")
print(f"{'':8} {'wall s':>8} {'CPU s':>8} {'peak MB':>8}")
for label in ("dossier", "hugo"):
    print(f"{label:8} {med(label,0):8.2f} {med(label,1):8.2f} {med(label,2):8.0f}")
print(f"{'hugo/dossier':12} wall {med('hugo',0)/med('dossier',0):.2f}x, CPU {med('hugo',1)/med('dossier',1):.2f}x, memory {med('hugo',2)/med('dossier',2):.2f}x")
PY
