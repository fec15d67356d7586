#!/usr/bin/env bash
# Memory flatness of batch scoring: the peak RSS (max resident set size, /usr/bin/time -f %M) of
# `rubric eval` (and the native evaluator, NATIVE_BIN) on SMALL records against RECORDS records,
# in every input/output format combination (JSONL -> JSONL, JSONL -> CSV, CSV -> JSONL,
# CSV -> CSV). Streaming evaluation holds a bounded window of records, so the peak RSS must not
# grow with the input: the goal is large / small within 10% (at most 1.10x). The difference in MB
# is shown too: at a peak of 2 MB, a few hundred KB of noise (allocator, page cache) is 10%.
#
#   bash benches/memory.sh                           # 100,000 against 10,000,000 records
#   RECORDS=1000000 bash benches/memory.sh
#   NATIVE_BIN=path/to/native bash benches/memory.sh # also the native evaluator
#   OUTPUT=file bash benches/memory.sh               # write decisions to a file, not /dev/null
#
# Settings: RECORDS (default 10000000), SMALL (100000), SEED (7), RUNS (1; the largest peak RSS
# of the runs counts), OUTPUT (null: /dev/null, or file: target/bench/mem-out.*, deleted after
# each run; full decisions of 10,000,000 records are about 15 GB), FIELDS (passed as --fields
# when set), THREADS (passed as --threads when set; default: the evaluator's own default),
# RUBRIC (another rubric binary; default: target/release/rubric, built here), MEM_LIMIT_MB (the
# address-space limit, ulimit -v, each run gets: default 4096 or half the memory, whichever is
# less; a run that grows past it is stopped and counts as over the goal instead of pushing the
# machine into swap).
# The data (JSONL and CSV, the same records) is generated once into target/bench/ and reused.
set -euo pipefail
cd "$(dirname "$0")/.."

RECORDS=${RECORDS:-10000000}
SMALL=${SMALL:-100000}
SEED=${SEED:-7}
RUNS=${RUNS:-1}
OUTPUT=${OUTPUT:-null}
POLICY=examples/lending.rubric
OUT=target/bench
GOAL=1.10

mem_total_mb=$(($(awk '/^MemTotal:/ { print $2 }' /proc/meminfo) / 1024))
MEM_LIMIT_MB=${MEM_LIMIT_MB:-$((mem_total_mb / 2 < 4096 ? mem_total_mb / 2 : 4096))}
case $OUTPUT in null | file) ;; *) echo "OUTPUT must be null or file" >&2; exit 2 ;; esac
((SMALL < RECORDS)) || { echo "SMALL ($SMALL) must be below RECORDS ($RECORDS)" >&2; exit 2; }

# shellcheck source=benches/common.sh
source benches/common.sh
engines=(interpreter)
if [[ -n ${NATIVE_BIN:-} ]]; then
    [[ -x $NATIVE_BIN ]] || { echo "NATIVE_BIN=$NATIVE_BIN is not an executable" >&2; exit 2; }
    engines+=(native)
fi

# ---- Data: the same records as JSON lines and as CSV (`rubric gen --format`); the small files
# are the first SMALL records of the large ones.
mkdir -p "$OUT"
declare -A data small_data
for format in jsonl csv; do
    data[$format]=$OUT/lending-gen-$(label "$RECORDS")-seed$SEED.$format
    small_data[$format]=$OUT/lending-gen-$(label "$SMALL")-seed$SEED.$format
    header=0
    [[ $format == csv ]] && header=1
    if [[ ! -s ${data[$format]} ]]; then
        echo "== generating $RECORDS records into ${data[$format]}"
        "$RUBRIC" gen "$POLICY" --records "$RECORDS" --seed "$SEED" --format "$format" --quiet \
            >"${data[$format]}.tmp"
        mv "${data[$format]}.tmp" "${data[$format]}"
    fi
    if [[ ! -s ${small_data[$format]} ]] ||
        (($(wc -l <"${small_data[$format]}") != SMALL + header)); then
        head -n "$((SMALL + header))" "${data[$format]}" >"${small_data[$format]}"
    fi
    echo "   ${data[$format]}: $(du -h "${data[$format]}" | cut -f1), ${small_data[$format]}: $(du -h "${small_data[$format]}" | cut -f1)"
done

flags=(--quiet)
[[ -n ${THREADS:-} ]] && flags+=(--threads "$THREADS")
[[ -n ${FIELDS:-} ]] && flags+=(--fields "$FIELDS")
# cmd ENGINE IN OUT: the command, without the input file.
cmd() {
    case $1 in
    interpreter) echo "$RUBRIC eval ${flags[*]} --input-format $2 --output-format $3 $POLICY" ;;
    native) echo "$NATIVE_BIN ${flags[*]} --input-format $2 --output-format $3" ;;
    esac
}

# peak ENGINE IN OUT INPUT: the largest peak RSS (KB) of RUNS runs; prints each run.
peak() {
    local engine=$1 in=$2 out=$3 input=$4 run status sink=/dev/null best=0 kb
    [[ $OUTPUT == file ]] && sink=$OUT/mem-out.$out
    for ((run = 1; run <= RUNS; run++)); do
        status=0
        # shellcheck disable=SC2046 # the command is split into words on purpose
        (
            ulimit -v $((MEM_LIMIT_MB * 1024))
            exec /usr/bin/time -f '%e %M' -o "$OUT/mem.time" $(cmd "$engine" "$in" "$out") "$input"
        ) >"$sink" 2>"$OUT/mem.stderr" || status=$?
        [[ $sink == /dev/null ]] || rm -f "$sink"
        if ((status != 0)) && grep -qiE 'memory allocation|out of memory|cannot allocate' "$OUT/mem.stderr"; then
            printf '   %-11s %-5s -> %-5s %9s records  stopped at the limit of %s MB\n' "$engine" \
                "$in" "$out" "$(label "$(records_of "$input")")" "$MEM_LIMIT_MB" >&2
            rm -f "$OUT/mem.time" "$OUT/mem.stderr"
            echo limit
            return
        fi
        if ((status != 0)); then
            echo "$engine ($in -> $out) exited with $status on $input:" >&2
            head -n 5 "$OUT/mem.stderr" >&2
            exit 1
        fi
        read -r seconds kb <"$OUT/mem.time"
        printf '   %-11s %-5s -> %-5s %9s records  %7s s  %7s MB\n' "$engine" "$in" "$out" \
            "$(label "$(records_of "$input")")" "$seconds" "$(mb "$kb")" >&2
        ((kb > best)) && best=$kb
    done
    rm -f "$OUT/mem.time" "$OUT/mem.stderr"
    echo "$best"
}
records_of() { [[ $1 == "${data[jsonl]}" || $1 == "${data[csv]}" ]] && echo "$RECORDS" || echo "$SMALL"; }

sink_text="/dev/null"
[[ $OUTPUT == file ]] && sink_text="a file in $OUT"
echo "== peak RSS, $SMALL against $RECORDS records, output to $sink_text, ${flags[*]}, runs limited to $MEM_LIMIT_MB MB of address space"
rows=()
for engine in "${engines[@]}"; do
    for in in jsonl csv; do
        for out in jsonl csv; do
            small=$(peak "$engine" "$in" "$out" "${small_data[$in]}")
            large=$(peak "$engine" "$in" "$out" "${data[$in]}")
            if [[ $small == limit || $large == limit ]]; then
                shown_small=$([[ $small == limit ]] && echo "over $MEM_LIMIT_MB MB" || echo "$(mb "$small") MB")
                rows+=("| $engine | ${in^^} -> ${out^^} | $shown_small | over $MEM_LIMIT_MB MB (stopped) | - | - | OVER the goal |")
                continue
            fi
            verdict=$(awk -v s="$small" -v l="$large" -v g="$GOAL" 'BEGIN {
                r = l / s; d = (l - s) / 1024; if (d > -0.05 && d < 0.05) d = 0
                printf "%.2fx | %+.1f MB | %s", r, d, (r <= g) ? "within the goal" : "OVER the goal" }')
            rows+=("| $engine | ${in^^} -> ${out^^} | $(mb "$small") MB | $(mb "$large") MB | $verdict |")
        done
    done
done

echo
echo "== summary: peak RSS, largest of $RUNS run(s); goal: $(label "$RECORDS") / $(label "$SMALL") within 10% (at most ${GOAL}x)"
echo "   load average after the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| program | formats | peak RSS ($(label "$SMALL")) | peak RSS ($(label "$RECORDS")) | large / small | difference | verdict |"
echo "|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
