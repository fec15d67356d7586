#!/usr/bin/env bash
# End-to-end batch throughput, JSONL in -> JSONL out, of `rubric eval` against a hand-written Rust
# program (benches/baseline: a serde struct and the rules of examples/lending.rubric coded by
# hand) on the same generated file. The quality bar (DESIGN.md): the interpreter takes at most 2x
# the hand-written program's time, the native evaluator at most 1.1x, with flat memory.
#
#   bash benches/compare.sh                      # 1,000,000 records, 3 runs each
#   RECORDS=200000 RUNS=5 bash benches/compare.sh
#   NATIVE_BIN=path/to/native bash benches/compare.sh   # also measure the native evaluator
#
# `rubric eval --explain` (each decision with its plain-language explanation) is measured after
# that, against plain `rubric eval`, both writing to /dev/null (its output is about three times
# larger, and writing gigabytes to the disk stalls whatever runs next): the goal is at most 2x.
#
# For each program: median wall time, records/s, median CPU time (user + sys) and peak RSS (max
# resident set size) over RUNS runs, run in turn so that noise from other processes is shared.
# The outputs must be byte-identical (cmp). Memory flatness: peak RSS on the first SMALL records
# against the whole file. Data and outputs live in target/bench/; outputs are deleted afterwards
# (KEEP_OUTPUTS=1 keeps them).
set -euo pipefail
cd "$(dirname "$0")/.."

RECORDS=${RECORDS:-1000000}
RUNS=${RUNS:-3}
SMALL=${SMALL:-100000}
SEED=${SEED:-7}
POLICY=examples/lending.rubric
OUT=target/bench

# ---- Data generation: `rubric gen` writes $1 lending records as JSON lines, the same bytes for the
# same seed (built below, before this is called).
generate() { target/release/rubric gen "$POLICY" --records "$1" --seed "$SEED" --quiet; }
# ---------------------------------------------------------------------------------------------------

label() { # 1000000 -> 1m, 100000 -> 100k
    if (($1 % 1000000 == 0)); then echo "$(($1 / 1000000))m"
    elif (($1 % 1000 == 0)); then echo "$(($1 / 1000))k"
    else echo "$1"; fi
}

if [[ ! -x /usr/bin/time ]]; then
    echo "== /usr/bin/time is missing; installing it (apt-get install time)"
    apt-get install -y -qq time >/dev/null || { apt-get update -qq && apt-get install -y -qq time; }
fi

echo "== building (release)"
cargo build --release --quiet
cargo build --release --quiet --manifest-path benches/baseline/Cargo.toml
RUBRIC=target/release/rubric
BASELINE=benches/baseline/target/release/lending-baseline

mkdir -p "$OUT"
DATA=$OUT/lending-gen-$(label "$RECORDS")-seed$SEED.jsonl
SMALL_DATA=$OUT/lending-gen-$(label "$SMALL")-seed$SEED.jsonl
if [[ ! -s $DATA ]]; then
    echo "== generating $RECORDS records into $DATA"
    generate "$RECORDS" >"$DATA.tmp"
    mv "$DATA.tmp" "$DATA"
fi
if [[ ! -s $SMALL_DATA ]] || (($(wc -l <"$SMALL_DATA") != SMALL)); then
    head -n "$SMALL" "$DATA" >"$SMALL_DATA"
fi
records=$(wc -l <"$DATA")

# ---- Contenders. Each is a command that takes the input file as its last argument and writes one
# decision per line to stdout. The third, the native evaluator (`rubric build --target rust`), has
# the same contract as `rubric eval`: `NATIVE_BIN input.jsonl > out.jsonl`.
contenders=(interpreter baseline)
declare -A command=(
    [interpreter]="$RUBRIC eval --quiet $POLICY"
    [baseline]="$BASELINE"
    [explain]="$RUBRIC eval --quiet --explain $POLICY"
)
declare -A title=(
    [interpreter]="rubric eval (interpreter)"
    [baseline]="hand-written (serde + rust_decimal)"
)
if [[ -n ${NATIVE_BIN:-} ]]; then
    [[ -x $NATIVE_BIN ]] || { echo "NATIVE_BIN=$NATIVE_BIN is not an executable" >&2; exit 2; }
    contenders+=(native)
    command[native]="$NATIVE_BIN"
    title[native]="native evaluator (rubric build --target rust)"
fi
# ---------------------------------------------------------------------------------------------------

# measure NAME INPUT OUTPUT: runs one contender once; appends "wall cpu rss_kb" to $OUT/NAME.times.
measure() {
    local name=$1 input=$2 output=$3 status=0
    # shellcheck disable=SC2086 # the command is split into words on purpose
    /usr/bin/time -f '%e %U %S %M' -o "$OUT/$name.time" ${command[$name]} "$input" \
        >"$output" 2>"$OUT/$name.stderr" || status=$?
    if ((status != 0)); then
        echo "$name exited with $status on $input:" >&2
        head -n 5 "$OUT/$name.stderr" >&2
        exit 1
    fi
    awk '{ printf "%s %.2f %s %s\n", $1, $2 + $3, $4, $2 }' "$OUT/$name.time" >>"$OUT/$name.times"
}

mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
per_second() { # records seconds -> records/s with thousands separators
    awk -v n="$1" -v t="$2" 'BEGIN {
        s = sprintf("%d", n / t + 0.5); out = ""
        while (length(s) > 3) { out = "," substr(s, length(s) - 2) out; s = substr(s, 1, length(s) - 3) }
        print s out }'
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "   load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== $records records ($(du -h "$DATA" | cut -f1)), $RUNS runs each"
for name in "${contenders[@]}"; do rm -f "$OUT/$name.times"; done
for ((run = 1; run <= RUNS; run++)); do
    for name in "${contenders[@]}"; do
        measure "$name" "$DATA" "$OUT/out-$name.jsonl"
        printf '   run %d %-12s %s\n' "$run" "$name" "$(tail -n 1 "$OUT/$name.times" |
            awk '{ printf "%6.2f s wall  %6.2f s cpu  %4d MB", $1, $2, $3 / 1024 }')"
    done
done

echo "== outputs"
decisions=$(wc -l <"$OUT/out-interpreter.jsonl")
identical=yes
for name in "${contenders[@]}"; do
    [[ $name == interpreter ]] && continue
    if cmp "$OUT/out-interpreter.jsonl" "$OUT/out-$name.jsonl"; then
        echo "   $name: byte-identical to the interpreter ($decisions decisions)"
    else
        identical=no
        echo "   $name: DIFFERS from the interpreter" >&2
    fi
done
if [[ -z ${KEEP_OUTPUTS:-} ]]; then
    for name in "${contenders[@]}"; do rm -f "$OUT/out-$name.jsonl"; done
fi

echo "== memory flatness: peak RSS on $SMALL records against $records"
declare -A wall cpu rss small_rss
for name in "${contenders[@]}"; do
    wall[$name]=$(cut -d' ' -f1 "$OUT/$name.times" | median)
    cpu[$name]=$(cut -d' ' -f2 "$OUT/$name.times" | median)
    rss[$name]=$(cut -d' ' -f3 "$OUT/$name.times" | sort -n | tail -n 1)
    rm -f "$OUT/$name.times"
    measure "$name" "$SMALL_DATA" /dev/null
    small_rss[$name]=$(cut -d' ' -f3 "$OUT/$name.times")
    rm -f "$OUT/$name.times" "$OUT/$name.time" "$OUT/$name.stderr"
    printf '   %-12s %s MB at %s records, %s MB at %s\n' "$name" "$(mb "${small_rss[$name]}")" \
        "$(label "$SMALL")" "$(mb "${rss[$name]}")" "$(label "$records")"
done

echo "== results: median of $RUNS runs, $records records, JSONL in and out"
printf '| program | wall time | records/s | CPU time | peak RSS (%s) | peak RSS (%s) |\n' \
    "$(label "$records")" "$(label "$SMALL")"
printf '|---|---|---|---|---|---|\n'
for name in "${contenders[@]}"; do
    printf '| %s | %s s | %s | %s s | %s MB | %s MB |\n' "${title[$name]}" "${wall[$name]}" \
        "$(per_second "$records" "${wall[$name]}")" "${cpu[$name]}" "$(mb "${rss[$name]}")" \
        "$(mb "${small_rss[$name]}")"
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
verdict() { awk -v r="$1" -v g="$2" 'BEGIN { print (r <= g) ? "within the goal" : "OVER the goal" }'; }
echo
r=$(ratio "${wall[interpreter]}" "${wall[baseline]}")
echo "interpreter / baseline: ${r}x wall time ($(ratio "${cpu[interpreter]}" "${cpu[baseline]}")x CPU time); goal at most 2x: $(verdict "$r" 2)"
if [[ -n ${NATIVE_BIN:-} ]]; then
    r=$(ratio "${wall[native]}" "${wall[baseline]}")
    echo "native / baseline:      ${r}x wall time ($(ratio "${cpu[native]}" "${cpu[baseline]}")x CPU time); goal at most 1.1x: $(verdict "$r" 1.1)"
fi

echo "== rubric eval --explain against rubric eval, both to /dev/null, $RUNS runs each"
for name in interpreter explain; do rm -f "$OUT/$name.times"; done
for ((run = 1; run <= RUNS; run++)); do
    for name in interpreter explain; do
        measure "$name" "$DATA" /dev/null
        printf '   run %d %-12s %s\n' "$run" "$name" "$(tail -n 1 "$OUT/$name.times" |
            awk '{ printf "%6.2f s wall  %6.2f s cpu  %6.2f s user", $1, $2, $4 }')"
    done
done
declare -A user
for name in interpreter explain; do
    wall[$name]=$(cut -d' ' -f1 "$OUT/$name.times" | median)
    cpu[$name]=$(cut -d' ' -f2 "$OUT/$name.times" | median)
    user[$name]=$(cut -d' ' -f4 "$OUT/$name.times" | median)
    rm -f "$OUT/$name.times" "$OUT/$name.time" "$OUT/$name.stderr"
done
plain_bytes=$(head -n 10000 "$DATA" | $RUBRIC eval --quiet "$POLICY" | wc -c)
explained_bytes=$(head -n 10000 "$DATA" | $RUBRIC eval --quiet --explain "$POLICY" | wc -c)
r=$(ratio "${wall[explain]}" "${wall[interpreter]}")
echo "eval --explain / eval:  ${r}x wall time ($(ratio "${cpu[explain]}" "${cpu[interpreter]}")x CPU time, $(ratio "${user[explain]}" "${user[interpreter]}")x user CPU time; medians ${wall[explain]} s and ${wall[interpreter]} s); goal at most 2x: $(verdict "$r" 2)"
echo "   the explained output is $(ratio "$explained_bytes" "$plain_bytes")x the size of the plain one ($((explained_bytes / 10000)) against $((plain_bytes / 10000)) bytes a decision)"
[[ $identical == yes ]] || { echo "outputs differ: the comparison is void" >&2; exit 1; }
