#!/usr/bin/env bash
# Benchmark (run by hand, not in CI): `transparency-report build` against a DuckDB query that
# computes the same SPEC §5 figures from the same CSV, in the same run, at 100k, 1M and 10M
# rows. Prints wall time, CPU time and peak RSS of each, the ratio build/DuckDB (median of the
# per-pair ratios, runs alternated A B A B …), and the sample generator's speed.
#
# The DuckDB query doubles as a differential check: the script fails if any DuckDB figure
# differs from our data/summary.json or data/incidents.json (floats at 4 decimals).
#
# Needs: GNU time (Debian: apt-get install time), Python 3.11+ with duckdb (pip install duckdb).
# Knobs: ROWS="100000 1000000 10000000" RUNS=3 WORK=/tmp/dir THREADS=2 (DuckDB's threads).
# The 10M export is ~1.75 GB; WORK needs ~2.5 GB free.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS="${ROWS:-100000 1000000 10000000}"
RUNS="${RUNS:-3}"
THREADS="${THREADS:-2}"
WORK="${WORK:-$(mktemp -d -t tr-bench.XXXXXX)}"
mkdir -p "$WORK"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"

[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install time" >&2; exit 2; }
python3 -c 'import duckdb' 2>/dev/null || { echo "needs DuckDB for Python: pip install duckdb" >&2; exit 2; }
cargo build --release --quiet
BIN="$CARGO_TARGET_DIR/release/transparency-report"

# The sample config's policy (holidays included), with suppression off.
CONFIG="$WORK/report.toml"
cat >"$CONFIG" <<'EOF'
timezone = "America/Chicago"
holidays = [
  2025-01-01, 2025-01-20, 2025-02-17, 2025-05-26, 2025-06-19, 2025-07-04,
  2025-09-01, 2025-10-13, 2025-11-11, 2025-11-27, 2025-12-25,
]
ack_target_business_days = 1
appealable_levels = ["D"]
appeal_window_days = 60
min_cell = 0
[period]
year = 2025
EOF

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(awk '/MemTotal/ {printf "%.1f GB RAM", $2/1048576}' /proc/meminfo)"
echo "tool: $("$BIN" --version), duckdb $(python3 -c 'import duckdb; print(duckdb.__version__)'), DuckDB threads $THREADS, $RUNS runs each"

# One timed run: appends "wall user sys maxrss_kb" to $1.
timed() {
  local out="$1"
  shift
  /usr/bin/time -f '%e %U %S %M' -o "$WORK/time.txt" "$@" >/dev/null 2>"$WORK/stderr.txt" || {
    echo "failed: $*" >&2
    cat "$WORK/stderr.txt" >&2
    exit 1
  }
  cat "$WORK/time.txt" >>"$out"
}

RESULTS="$WORK/results.txt"
: >"$RESULTS"
for n in $ROWS; do
  csv="$WORK/cases-$n.csv"
  rm -f "$WORK/gen.txt"
  timed "$WORK/gen.txt" "$BIN" --quiet sample --rows "$n" --year 2025 --seed 1 --out "$csv"
  out="$WORK/out-$n"
  rm -f "$WORK/ours-$n.txt" "$WORK/duck-$n.txt"
  # Warm-up (page cache), then alternate.
  "$BIN" --quiet build --input "$csv" --config "$CONFIG" --min-cell 0 --out "$out"
  for _ in $(seq "$RUNS"); do
    timed "$WORK/ours-$n.txt" "$BIN" --quiet build --input "$csv" --config "$CONFIG" --min-cell 0 --out "$out"
    timed "$WORK/duck-$n.txt" python3 bench/duckdb_summary.py "$csv" --config "$CONFIG" --threads "$THREADS"
  done
  # Differential check (not timed).
  python3 bench/duckdb_summary.py "$csv" --config "$CONFIG" --threads "$THREADS" \
    --compare "$out/data/summary.json" --compare-incidents "$out/data/incidents.json" \
    2>"$WORK/compare.txt" || {
    cat "$WORK/compare.txt" >&2
    echo "DIFFERENT figures at $n rows" >&2
    exit 1
  }
  echo "$n $(stat -c %s "$csv") $(cat "$WORK/gen.txt")" >>"$RESULTS"
  rm -f "$csv"
done

python3 - "$WORK" "$RESULTS" <<'EOF'
import statistics as st, sys
work, results = sys.argv[1], sys.argv[2]
def rows(path):
    return [list(map(float, l.split())) for l in open(path) if l.strip()]
print()
print("| rows | CSV size | build wall (s) | DuckDB wall (s) | ratio build/DuckDB | build CPU (s) | DuckDB CPU (s) | build peak RSS | DuckDB peak RSS |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
gens = []
for line in open(results):
    n, size, gwall, _, _, _ = line.split()
    n = int(n)
    ours, duck = rows(f"{work}/ours-{n}.txt"), rows(f"{work}/duck-{n}.txt")
    ratio = st.median(a[0] / b[0] for a, b in zip(ours, duck))
    med = lambda r, i: st.median(x[i] for x in r)
    cpu = lambda r: st.median(x[1] + x[2] for x in r)
    print(f"| {n:,} | {int(size)/1e6:,.0f} MB | {med(ours,0):.2f} | {med(duck,0):.2f} | {ratio:.2f} "
          f"| {cpu(ours):.2f} | {cpu(duck):.2f} | {med(ours,3)/1024:,.0f} MB | {med(duck,3)/1024:,.0f} MB |")
    gens.append((n, float(gwall), int(size)))
print()
print("| sample --rows | wall (s) | rows/s | MB/s |")
print("|---:|---:|---:|---:|")
for n, wall, size in gens:
    print(f"| {n:,} | {wall:.2f} | {n/max(wall,1e-3)/1e6:.2f} M | {size/1e6/max(wall,1e-3):,.0f} |")
print()
print("All DuckDB figures equal data/summary.json at every size.")
EOF
