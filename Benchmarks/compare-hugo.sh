#!/usr/bin/env bash
# Builds the same generated corpus with Dossier and with Hugo (`apt-get install hugo`; the
# script installs it when it can), alternating runs, and prints wall time, CPU time and peak
# memory of each, their ratios, and a Markdown table of the medians for Benchmarks/README.md.
# Usage: bash Benchmarks/compare-hugo.sh [sizes="1000 10000 30000"] [runs=3] [modes="simple real"]
# Modes: `simple`, one-line templates on both sides; `real`, the sample's Templates/ for Dossier
# and Hugo layouts doing the same work (table of contents, tags, neighbours, related, reading
# time, home listing with summaries, tag pages, feed, sitemap). Each run is cold (output
# removed first) and then repeated with the output kept: for Dossier, once as it comes (nothing
# changed: the output is up to date) and once with --force (every page rendered again, the
# unchanged files linked from the previous output), both beside Hugo's repeat run.
# The corpora and outputs go in a temporary folder under $BENCH_DIR (default /tmp); with
# BENCH_DIR=/dev/shm both tools write to a RAM disk, which leaves out the file system's cost.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${1:-1000 10000 30000}
RUNS=${2:-3}
MODES=${3:-simple real}
if ! command -v hugo >/dev/null; then
    SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq hugo >/dev/null
fi
make -s deps >/dev/null
swift build -c release --product dossier >/dev/null
swift build -c release --product dossier-benchmarks >/dev/null
WORK=$(mktemp -d -p "${BENCH_DIR:-/tmp}")
trap 'rm -rf "$WORK"' EXIT
TABLE="$WORK/table.md"
echo "| templates | articles | build | Dossier wall s | Dossier CPU s | Dossier peak MB | Hugo wall s | Hugo CPU s | Hugo peak MB | wall Hugo/Dossier | CPU Hugo/Dossier |" >"$TABLE"
echo "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|" >>"$TABLE"
for MODE in $MODES; do
for ARTICLES in $SIZES; do
    rm -rf "$WORK/corpus" && mkdir "$WORK/corpus"
    .build/release/dossier-benchmarks corpus "$ARTICLES" "$WORK/corpus" "$MODE"
    : >"$WORK/times"
    measure() { # label, command...
        local label=$1; shift
        /usr/bin/time -f "$label %e %U %S %M" "$@" >/dev/null 2>>"$WORK/times" || { echo "$label failed"; tail -5 "$WORK/times"; exit 1; }
    }
    # Each tool's output is removed just before its own run and the disk is synced before
    # every run (the file system's cost of creating files right after deleting many differs a
    # lot), and the order alternates, so neither tool always runs first.
    dossier_run() {
        rm -rf "$WORK/corpus/dossier/Public"; sync
        measure dossier .build/release/dossier build --root "$WORK/corpus/dossier" --quiet
        sync
        measure dossier-repeat .build/release/dossier build --root "$WORK/corpus/dossier" --quiet
        sync
        measure dossier-forced .build/release/dossier build --root "$WORK/corpus/dossier" --quiet --force
    }
    hugo_run() {
        rm -rf "$WORK/corpus/hugo/public"; sync
        measure hugo hugo --source "$WORK/corpus/hugo" --quiet
        sync
        measure hugo-repeat hugo --source "$WORK/corpus/hugo" --quiet
    }
    for run in $(seq "$RUNS"); do
        if [ $((run % 2)) = 1 ]; then dossier_run; hugo_run; else hugo_run; dossier_run; fi
    done
    python3 - "$WORK/times" "$ARTICLES" "$TABLE" "$MODE" <<'PY'
import sys, statistics
rows = {}
for line in open(sys.argv[1]):
    parts = line.split()
    if len(parts) == 5 and parts[0] in ("dossier", "hugo", "dossier-repeat", "hugo-repeat", "dossier-forced"):
        label, wall, user, sys_, rss = parts
        rows.setdefault(label, []).append((float(wall), float(user) + float(sys_), int(rss) / 1024))
def med(label, i): return statistics.median(r[i] for r in rows[label])
n = int(sys.argv[2])
mode = sys.argv[4]
builds = (("", "", "cold"), ("-repeat", "-repeat", "repeat"), ("-forced", "-repeat", "repeat --force"))
for suffix, hugo, build in builds:
    d, h = "dossier" + suffix, "hugo" + hugo
    print(f"{mode} templates, {n} articles, {build}: median of {len(rows[d])} alternating runs")
    print(f"{'':15} {'wall s':>8} {'CPU s':>8} {'peak MB':>8}")
    for label in (d, h):
        print(f"{label:15} {med(label,0):8.2f} {med(label,1):8.2f} {med(label,2):8.0f}")
    print(f"{'hugo/dossier':15} wall {med(h,0)/med(d,0):.2f}x, CPU {med(h,1)/med(d,1):.2f}x, memory {med(h,2)/med(d,2):.2f}x")
with open(sys.argv[3], "a") as table:
    for suffix, hugo, build in builds:
        d, h = "dossier" + suffix, "hugo" + hugo
        table.write(f"| {mode} | {n:,} | {build} | {med(d,0):.2f} | {med(d,1):.2f} | {med(d,2):.0f} | {med(h,0):.2f} | {med(h,1):.2f} | {med(h,2):.0f} | {med(h,0)/med(d,0):.2f}x | {med(h,1)/med(d,1):.2f}x |\n")
PY
done
done
echo
echo "$(date -u +%Y-%m-%d), $(nproc) cores, output on $(df --output=fstype "$WORK" | tail -1), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(hugo version | cut -d' ' -f1-2), runs: $RUNS"
cat "$TABLE"
