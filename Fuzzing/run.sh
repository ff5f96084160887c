#!/usr/bin/env bash
# Builds the libFuzzer driver (release, with libFuzzer and AddressSanitizer, into .build-fuzz)
# and runs every fuzz target for SECONDS seconds each, or only the targets named:
#   bash Fuzzing/run.sh 60                 # every target, 60 s each
#   bash Fuzzing/run.sh 600 csv chart      # two targets, 10 minutes each
# Corpora live in .build-fuzz/corpus/TARGET (seeded from the fixtures, the sample and
# Fuzzing/regressions/TARGET); inputs that crash or hang land in .build-fuzz/findings/TARGET.
# Prints one line per target: executions, coverage (edges), corpus size and findings.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-60}
shift || true
TARGETS=${*:-csv json yaml-data front-matter site-config schema chart figure pages template search words translation draft}
SWIFT=${SWIFT:-swift}

# --sanitize=fuzzer alone instruments only C code (CYaml) for coverage here: the Swift code
# needs SanitizerCoverage's inline 8-bit counters asked for explicitly (plain `edge` gives
# trace-pc-guard, which this libFuzzer refuses).
DOSSIER_FUZZ=1 $SWIFT build -c release --sanitize=fuzzer --sanitize=address \
    -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp --scratch-path .build-fuzz \
    --product dossier-fuzz >&2
BIN=.build-fuzz/release/dossier-fuzz
FIX=Tests/DossierKitTests/Fixtures

seed() { # TARGET: copies the seed inputs of one target into its corpus folder
    local dir=.build-fuzz/corpus/$1
    mkdir -p "$dir"
    local files=()
    case $1 in
        csv) files=($(find Data $FIX -name '*.csv')) ;;
        json) files=($(find Data $FIX -name '*.json' -not -path '*expected*')) ;;
        yaml-data) files=($(find Data $FIX/valid-site/Data -name '*.yml' -not -name '*.schema.yml')) ;;
        front-matter | figure) files=($(find Content $FIX -name '*.md' -not -path '*expected*')) ;;
        site-config) files=($(find Content $FIX -name 'site.yml')) ;;
        schema) files=($(find Data $FIX -name '*.schema.yml')) ;;
        chart) files=($(find $FIX/charts/specs -type f)) ;;
        pages) files=($(find Content $FIX -name '_pages.yml')) ;;
        template) files=($(find Templates $FIX -name '*.mustache')) ;;
        search) files=($(find Content $FIX -name '*.md' -not -path '*expected*')) ;;
        words) files=($(find Templates $FIX Examples -path '*i18n*' -name '*.yml')) ;;
        draft) files=($(find Data $FIX -name '*.csv')) ;;
        translation) # site.yml, a line ===, then an article: the input's two parts
            for md in $(find Content -name '*.md'); do
                { cat Content/site.yml; printf '\n===\n'; cat "$md"; } >"$dir/seed-$(sha1sum "$md" | cut -c1-12)"
            done ;;
    esac
    for f in "${files[@]}" Fuzzing/regressions/$1/*; do
        [ -f "$f" ] && cp "$f" "$dir/seed-$(sha1sum "$f" | cut -c1-12)"
    done
    return 0
}

printf '%-13s %8s %12s %8s %8s %9s\n' target seconds executions edges corpus findings
for target in $TARGETS; do
    seed "$target"
    mkdir -p ".build-fuzz/findings/$target"
    dict=Fuzzing/dictionaries/$target
    log=.build-fuzz/$target.log
    # Leak checking is off: the fixture dataset the entries share lives as long as the process.
    ASAN_OPTIONS=detect_leaks=0 FUZZ_TARGET=$target "$BIN" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=4096 -max_len=8192 \
        -detect_leaks=0 \
        -print_final_stats=1 -artifact_prefix=".build-fuzz/findings/$target/" \
        $( [ -f "$dict" ] && echo "-dict=$dict" ) ".build-fuzz/corpus/$target" >"$log" 2>&1 || true
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || echo 0)
    edges=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo 0)
    corpus=$(ls ".build-fuzz/corpus/$target" | wc -l)
    findings=$(ls ".build-fuzz/findings/$target" | wc -l)
    printf '%-13s %8s %12s %8s %8s %9s\n' "$target" "$SECONDS_EACH" "${execs:-0}" "${edges:-0}" "$corpus" "$findings"
done
