#!/usr/bin/env bash
# Peak memory of reading one large CSV file, as a multiple of its size.
#
#   Benchmarks/large-csv.sh [BINARY ...]
#
# Writes two generated registers once (under $LARGE_CSV_DIR, default /tmp/dossier-large-csv):
#   narrow: 2,000,000 rows of six short columns (id, ISO date, supplier, department, amount,
#           a three-digit code), about 120 MB;
#   wide:   300,000 rows of six columns with long text, about 116 MB;
# puts each into a starter project with its schema, and runs `dossier check` on it under
# `/usr/bin/time -v` with every binary given (default: .build/release/dossier), alternating,
# ROUNDS times (default 2). Prints the peak resident memory and its ratio to the file's size.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${LARGE_CSV_DIR:-/tmp/dossier-large-csv}
rounds=${ROUNDS:-2}
binaries=("$@")
[ ${#binaries[@]} -gt 0 ] || binaries=(.build/release/dossier)
for i in "${!binaries[@]}"; do binaries[$i]=$(realpath "${binaries[$i]}"); done
mkdir -p "$dir"

[ -s "$dir/narrow.csv" ] || python3 - "$dir/narrow.csv" <<'EOF'
import random, sys
random.seed(30)
with open(sys.argv[1], "w") as f:
    f.write("id,date,supplier,department,amount,code\n")
    for i in range(2_000_000):
        f.write(f'{i},2013-{random.randint(1,12):02d}-{random.randint(1,28):02d},"Supplier {random.randint(1,50000)} Ltd",'
                f'Dept {random.randint(1,40)},{random.randint(100,9999999)/100:.2f},{random.randint(0,999):03d}\n')
EOF
[ -s "$dir/wide.csv" ] || python3 - "$dir/wide.csv" <<'EOF'
import random, sys
random.seed(30)
words = "procurement contract supply services engineering department legal city maintenance consulting professional".split()
with open(sys.argv[1], "w") as f:
    f.write("vendor,description,department,amount,start,notes\n")
    for i in range(300_000):
        desc = " ".join(random.choice(words) for _ in range(random.randint(20, 40)))
        notes = " ".join(random.choice(words) for _ in range(random.randint(5, 15)))
        f.write(f'"Vendor {random.randint(1,20000)}","{desc}","Department of {random.choice(words).title()}",'
                f'{random.randint(100,99999999)/100:.2f},2014-{random.randint(1,12):02d}-{random.randint(1,28):02d},"{notes}"\n')
EOF

schema() {
    case $1 in
    narrow) printf 'title: narrow\ncolumns:\n  id: integer\n  date: date\n  supplier: text\n  department: text\n  amount: number\n  code: text\n' ;;
    wide) printf 'title: wide\ncolumns:\n  vendor: text\n  description: text\n  department: text\n  amount: number\n  start: date\n  notes: text\n' ;;
    esac
}

for shape in narrow wide; do
    project="$dir/project-$shape"
    if [ ! -d "$project" ]; then
        "${binaries[0]}" init "$project" >/dev/null
        ln "$dir/$shape.csv" "$project/Data/$shape.csv" 2>/dev/null || cp "$dir/$shape.csv" "$project/Data/$shape.csv"
        schema "$shape" > "$project/Data/$shape.schema.yml"
    fi
done

for round in $(seq "$rounds"); do
    for shape in narrow wide; do
        size=$(stat -c %s "$dir/$shape.csv")
        for binary in "${binaries[@]}"; do
            out=$( (cd "$dir/project-$shape" && /usr/bin/time -v "$binary" check 2>&1 >/dev/null) || true)
            peak=$(echo "$out" | awk '/Maximum resident/ {print $6}')
            wall=$(echo "$out" | awk '/Elapsed \(wall/ {print $8}')
            awk -v r="$round" -v s="$shape" -v b="$binary" -v p="$peak" -v z="$size" -v w="$wall" \
                'BEGIN { printf "round %s  %-6s  %-40s  peak %5d MB  %.2fx the file  %s\n", r, s, b, p / 1024, p * 1024 / z, w }'
        done
    done
done
