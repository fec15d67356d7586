#!/usr/bin/env bash
# End-to-end batch throughput of `rubric eval` (and the native evaluator, `rubric build --target
# rust`) against a hand-written Rust program (benches/baseline: a serde struct and the rules of
# examples/lending.rubric coded by hand, rust_decimal, buffered I/O, one thread) on the same
# generated file. Contenders of a section run in turn, RUNS times each, so that noise from other
# processes is shared; the figures are medians. Every output is checked byte for byte (cmp, or
# the SHA-256 of an extra untimed run where the output goes to /dev/null).
#
#   bash benches/compare.sh                                 # 1,000,000 records, 3 runs each
#   RECORDS=200000 RUNS=5 bash benches/compare.sh
#   NATIVE_BIN=path/to/native bash benches/compare.sh       # also the native evaluator
#   SECTIONS=compact,threads RECORDS=200000 bash benches/compare.sh   # a quick run
#   RUBRIC=/work/main/target/release/rubric bash benches/compare.sh   # another rubric binary
#
# Sections (SECTIONS, comma-separated; all by default):
#   full     the full JSON decision, JSONL in and out (to files), interpreter and native against
#            `lending-baseline`; peak RSS on the first SMALL records against the whole file.
#   compact  `--fields id,score,tier,consequences` (to files) against `lending-baseline --compact`.
#   threads  compact and full output (to /dev/null) at --threads 1, 2 and nproc (when larger; or
#            THREAD_COUNTS="1 2 4"), interpreter and native, each against its own 1 thread, and
#            the interpreter at 2 threads against the single-threaded compact baseline.
#   explain  `rubric eval --explain` against plain `rubric eval`, both to /dev/null.
#   csv      the interpreter writing CSV against writing JSON lines (full fields, /dev/null).
# The baseline is single-threaded, so wherever rubric takes --threads, every section but
# `threads` runs it with --threads 1: like for like. A section whose flags (--fields, --threads)
# the binary does not list in its --help is skipped and says so; its goals read "not measured".
#
# Goals (the summary table at the end): compact, 1 thread: interpreter <= 1.5x the hand-written
# compact program's time, native <= 1.0x; compact, --threads 2: the interpreter faster than the
# single-threaded hand-written compact program and >= 1.8x its own 1-thread throughput; full:
# interpreter <= 1.3x, native <= 0.9x; --explain <= 2x plain eval; CSV output no slower than JSONL.
#
# Data and outputs live in target/bench/; outputs are deleted afterwards (KEEP_OUTPUTS=1 keeps
# them). The exit code is 1 when some outputs differ (the comparison is void).
set -euo pipefail
cd "$(dirname "$0")/.."

RECORDS=${RECORDS:-1000000}
RUNS=${RUNS:-3}
SMALL=${SMALL:-100000}
SEED=${SEED:-7}
SECTIONS=${SECTIONS:-full,compact,threads,explain,csv}
POLICY=examples/lending.rubric
OUT=target/bench
COMPACT_FIELDS=id,score,tier,consequences

section_on() { [[ ,$SECTIONS, == *,$1,* ]]; }
for s in ${SECTIONS//,/ }; do
    case $s in full | compact | threads | explain | csv) ;;
    *) echo "unknown section '$s' in SECTIONS (full, compact, threads, explain, csv)" >&2; exit 2 ;;
    esac
done
((RUNS >= 1)) || { echo "RUNS must be at least 1" >&2; exit 2; }

# shellcheck source=benches/common.sh
source benches/common.sh
cargo build --release --quiet --manifest-path benches/baseline/Cargo.toml
BASELINE=benches/baseline/target/release/lending-baseline
if [[ -n ${NATIVE_BIN:-} ]]; then
    [[ -x $NATIVE_BIN ]] || { echo "NATIVE_BIN=$NATIVE_BIN is not an executable" >&2; exit 2; }
fi

# ---- Data generation: `rubric gen` writes $1 lending records as JSON lines, the same bytes for the
# same seed.
generate() { "$RUBRIC" gen "$POLICY" --records "$1" --seed "$SEED" --quiet; }
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
echo "== $records records ($(du -h "$DATA" | cut -f1)), $RUNS runs each; sections: $SECTIONS"

# ---- What the binaries offer (their --help lists the flag).
has_flag() { # has_flag BINARY FLAG [SUBCOMMAND]: whether the binary's --help lists FLAG
    local help
    help=$("$1" "${@:3}" --help 2>/dev/null || true)
    grep -qE -- "(^|[[:space:],])$2([[:space:]=<]|\$)" <<<"$help"
}
declare -A fields_ok threads_ok
fields_ok[interpreter]=$(has_flag "$RUBRIC" --fields eval && echo yes || echo no)
threads_ok[interpreter]=$(has_flag "$RUBRIC" --threads eval && echo yes || echo no)
engines=(interpreter)
if [[ -n ${NATIVE_BIN:-} ]]; then
    engines+=(native)
    fields_ok[native]=$(has_flag "$NATIVE_BIN" --fields && echo yes || echo no)
    threads_ok[native]=$(has_flag "$NATIVE_BIN" --threads && echo yes || echo no)
fi
for e in "${engines[@]}"; do
    echo "   $e: --fields ${fields_ok[$e]}, --threads ${threads_ok[$e]}"
done
# The engine's command without the input: $1 engine, $2 threads ("" for the default), rest: flags.
engine_cmd() {
    local e=$1 t=$2 flags=(--quiet)
    [[ -n $t && ${threads_ok[$e]} == yes ]] && flags+=(--threads "$t")
    flags+=("${@:3}")
    case $e in
    interpreter) echo "$RUBRIC eval ${flags[*]} $POLICY" ;;
    native) echo "$NATIVE_BIN ${flags[*]}" ;;
    esac
}
declare -A title=(
    [interpreter]="rubric eval (interpreter)"
    [native]="native evaluator (rubric build --target rust)"
    [baseline]="hand-written (serde + rust_decimal)"
)

# ---- Measurement. A contender NAME is the command ${command[NAME]}, which takes the input file as
# its last argument and writes to standard output.
declare -A command wall cpu user rss digest
identical=yes

# measure NAME INPUT OUTPUT: runs one contender once; appends "wall cpu rss_kb user" to
# $OUT/NAME.times.
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

per_second() { # records seconds -> records/s with thousands separators
    awk -v n="$1" -v t="$2" 'BEGIN {
        s = sprintf("%d", n / t + 0.5); out = ""
        while (length(s) > 3) { out = "," substr(s, length(s) - 2) out; s = substr(s, 1, length(s) - 3) }
        print s out }'
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# run_group INPUT SINK NAME...: RUNS rounds, each running every NAME once in turn, writing to
# $OUT/out-NAME (SINK=file) or /dev/null (SINK=null); sets wall, cpu, user and rss (the largest).
run_group() {
    local input=$1 sink=$2 name run output
    shift 2
    for name in "$@"; do rm -f "$OUT/$name.times"; done
    for ((run = 1; run <= RUNS; run++)); do
        for name in "$@"; do
            output=/dev/null
            [[ $sink == file ]] && output=$OUT/out-$name
            measure "$name" "$input" "$output"
            printf '   run %d %-22s %s\n' "$run" "$name" "$(tail -n 1 "$OUT/$name.times" |
                awk '{ printf "%6.2f s wall  %6.2f s cpu  %6.2f s user  %5d MB", $1, $2, $4, $3 / 1024 }')"
        done
    done
    for name in "$@"; do
        wall[$name]=$(cut -d' ' -f1 "$OUT/$name.times" | median)
        cpu[$name]=$(cut -d' ' -f2 "$OUT/$name.times" | median)
        user[$name]=$(cut -d' ' -f4 "$OUT/$name.times" | median)
        rss[$name]=$(cut -d' ' -f3 "$OUT/$name.times" | sort -n | tail -n 1)
        rm -f "$OUT/$name.times" "$OUT/$name.time" "$OUT/$name.stderr"
    done
}

# same_files REF NAME...: cmp of the files run_group wrote.
same_files() {
    local ref=$1 name lines
    shift
    lines=$(wc -l <"$OUT/out-$ref")
    for name in "$@"; do
        if cmp "$OUT/out-$ref" "$OUT/out-$name"; then
            echo "   $name: byte-identical to $ref ($lines lines)"
        else
            identical=no
            echo "   $name: DIFFERS from $ref" >&2
        fi
    done
}
drop_files() {
    [[ -n ${KEEP_OUTPUTS:-} ]] && return
    local name
    for name in "$@"; do rm -f "$OUT/out-$name"; done
}

# same_digests INPUT REF NAME...: for output sent to /dev/null, one more (untimed) run of each,
# piped into sha256sum; NAME... must give the bytes of REF.
same_digests() {
    local input=$1 ref=$2 name
    shift 2
    for name in "$ref" "$@"; do
        if [[ -z ${digest[$name]:-} ]]; then
            # shellcheck disable=SC2086 # the command is split into words on purpose
            digest[$name]=$(${command[$name]} "$input" 2>/dev/null | sha256sum | cut -c1-16) || {
                echo "$name failed on $input" >&2
                exit 1
            }
        fi
    done
    for name in "$@"; do
        if [[ ${digest[$name]} == "${digest[$ref]}" ]]; then
            echo "   $name: byte-identical to $ref (SHA-256 ${digest[$ref]}…)"
        else
            identical=no
            echo "   $name: DIFFERS from $ref (SHA-256 ${digest[$name]}… against ${digest[$ref]}…)" >&2
        fi
    done
}

# table HEADING NAME...: the medians of a group, one row a contender.
table() {
    local name
    echo "== $1"
    shift
    printf '| program | wall time | records/s | CPU time | peak RSS |\n|---|---|---|---|---|\n'
    for name in "$@"; do
        printf '| %s | %s s | %s | %s s | %s MB |\n' "${title[$name]:-$name}" "${wall[$name]}" \
            "$(per_second "$records" "${wall[$name]}")" "${cpu[$name]}" "$(mb "${rss[$name]}")"
    done
}

# ---- The summary: one row a ratio, with its goal. add_goal WHAT RATIO OP GOAL [DETAIL], where the
# ratio holds when `RATIO OP GOAL` (OP: le, lt, ge); RATIO "-" when the section did not run.
summary=() info=()
add_goal() {
    local what=$1 r=$2 op=$3 goal=$4 detail=${5:-} shown verdict
    case $op in
    le) shown="at most ${goal}x" ;;
    lt) shown="below ${goal}x" ;;
    ge) shown="at least ${goal}x" ;;
    none) shown="(no goal)" ;;
    esac
    if [[ $r == - ]]; then
        verdict="not measured${detail:+ ($detail)}"
        r="-"
    elif [[ $op == none ]]; then
        info+=("| $what | ${r}x | $shown | ${detail:--} |")
        return
    else
        verdict=$(awk -v r="$r" -v g="$goal" -v op="$op" 'BEGIN {
            ok = (op == "le") ? r <= g : (op == "lt") ? r < g : r >= g
            print ok ? "within the goal" : "OVER the goal" }')
        r="${r}x"
        [[ -n $detail ]] && verdict="$verdict; $detail"
    fi
    summary+=("| $what | $r | $shown | $verdict |")
}

# =================================================================================================
if section_on full; then
    echo
    echo "== full decisions, JSONL in and out (to files), threads: 1 where the flag exists"
    group=(f-interpreter f-baseline)
    command[f-interpreter]=$(engine_cmd interpreter 1)
    command[f-baseline]="$BASELINE"
    title[f-interpreter]=${title[interpreter]}
    title[f-baseline]=${title[baseline]}
    if [[ -n ${NATIVE_BIN:-} ]]; then
        group=(f-interpreter f-native f-baseline)
        command[f-native]=$(engine_cmd native 1)
        title[f-native]=${title[native]}
    fi
    for name in "${group[@]}"; do echo "   $name: ${command[$name]} INPUT"; done
    run_group "$DATA" file "${group[@]}"
    echo "== outputs"
    same_files f-interpreter "${group[@]:1}"
    drop_files "${group[@]}"

    echo "== memory flatness: peak RSS on $SMALL records against $records"
    declare -A small_rss
    for name in "${group[@]}"; do
        rm -f "$OUT/$name.times"
        measure "$name" "$SMALL_DATA" /dev/null
        small_rss[$name]=$(cut -d' ' -f3 "$OUT/$name.times")
        rm -f "$OUT/$name.times" "$OUT/$name.time" "$OUT/$name.stderr"
        printf '   %-14s %s MB at %s records, %s MB at %s\n' "$name" "$(mb "${small_rss[$name]}")" \
            "$(label "$SMALL")" "$(mb "${rss[$name]}")" "$(label "$records")"
    done
    table "full decisions: median of $RUNS runs, $records records, JSONL in and out" "${group[@]}"
    r=$(ratio "${wall[f-interpreter]}" "${wall[f-baseline]}")
    echo "interpreter / baseline: ${r}x wall time ($(ratio "${cpu[f-interpreter]}" "${cpu[f-baseline]}")x CPU time)"
    add_goal "full: interpreter / hand-written" "$r" le 1.3
    if [[ -n ${NATIVE_BIN:-} ]]; then
        r=$(ratio "${wall[f-native]}" "${wall[f-baseline]}")
        echo "native / baseline:      ${r}x wall time ($(ratio "${cpu[f-native]}" "${cpu[f-baseline]}")x CPU time)"
        add_goal "full: native / hand-written" "$r" le 0.9
    else
        add_goal "full: native / hand-written" - le 0.9 "NATIVE_BIN not set"
    fi
else
    add_goal "full: interpreter / hand-written" - le 1.3 "section skipped"
    add_goal "full: native / hand-written" - le 0.9 "section skipped"
fi

# =================================================================================================
if section_on compact; then
    echo
    echo "== compact decisions (--fields $COMPACT_FIELDS), JSONL in and out (to files), --threads 1"
    group=()
    for e in "${engines[@]}"; do
        if [[ ${fields_ok[$e]} == yes ]]; then
            group+=("c-$e")
            command[c-$e]=$(engine_cmd "$e" 1 --fields "$COMPACT_FIELDS")
            title[c-$e]="${title[$e]}, --fields"
        else
            echo "   $e: no --fields in its --help: left out"
        fi
    done
    group+=(c-baseline)
    command[c-baseline]="$BASELINE --compact"
    title[c-baseline]="${title[baseline]}, --compact"
    for name in "${group[@]}"; do echo "   $name: ${command[$name]} INPUT"; done
    run_group "$DATA" file "${group[@]}"
    echo "== outputs"
    if ((${#group[@]} > 1)); then
        same_files "${group[0]}" "${group[@]:1}"
    else
        echo "   nothing to compare the compact baseline with"
    fi
    drop_files "${group[@]}"
    table "compact decisions: median of $RUNS runs, $records records, one thread" "${group[@]}"
    for e in interpreter native; do
        goal=1.5
        [[ $e == native ]] && goal=1.0
        if [[ -n ${wall[c-$e]:-} ]]; then
            r=$(ratio "${wall[c-$e]}" "${wall[c-baseline]}")
            echo "$e --fields / baseline --compact: ${r}x wall time ($(ratio "${cpu[c-$e]}" "${cpu[c-baseline]}")x CPU time)"
            add_goal "compact, 1 thread: $e / hand-written compact" "$r" le "$goal"
        elif [[ $e == native && -z ${NATIVE_BIN:-} ]]; then
            add_goal "compact, 1 thread: $e / hand-written compact" - le "$goal" "NATIVE_BIN not set"
        else
            add_goal "compact, 1 thread: $e / hand-written compact" - le "$goal" "no --fields yet"
        fi
    done
else
    add_goal "compact, 1 thread: interpreter / hand-written compact" - le 1.5 "section skipped"
    add_goal "compact, 1 thread: native / hand-written compact" - le 1.0 "section skipped"
fi

# =================================================================================================
thread_goals_done=no
if section_on threads; then
    counts=${THREAD_COUNTS:-"1 2"}
    if [[ -z ${THREAD_COUNTS:-} ]] && (($(nproc) > 2)); then counts="1 2 $(nproc)"; fi
    echo
    echo "== --threads series ($counts), output to /dev/null"
    group=(t-baseline-compact)
    command[t-baseline-compact]="$BASELINE --compact"
    title[t-baseline-compact]="${title[baseline]}, --compact"
    for e in "${engines[@]}"; do
        if [[ ${threads_ok[$e]} != yes ]]; then
            echo "   $e: no --threads in its --help: left out"
            continue
        fi
        for form in compact full; do
            if [[ $form == compact && ${fields_ok[$e]} != yes ]]; then
                echo "   $e: no --fields in its --help: compact output left out"
                continue
            fi
            flags=()
            [[ $form == compact ]] && flags=(--fields "$COMPACT_FIELDS")
            for t in $counts; do
                name=t-$e-$form-$t
                group+=("$name")
                command[$name]=$(engine_cmd "$e" "$t" "${flags[@]}")
                title[$name]="${title[$e]}, $form, --threads $t"
            done
        done
    done
    if ((${#group[@]} == 1)); then
        echo "   no engine takes --threads: section skipped"
    else
        for name in "${group[@]}"; do echo "   $name: ${command[$name]} INPUT"; done
        run_group "$DATA" null "${group[@]}"
        echo "== outputs (one more untimed run each, through sha256sum)"
        for e in "${engines[@]}"; do
            for form in compact full; do
                [[ -n ${command[t-$e-$form-1]:-} ]] || continue
                others=()
                for t in $counts; do [[ $t == 1 ]] || others+=("t-$e-$form-$t"); done
                same_digests "$DATA" "t-$e-$form-1" "${others[@]}"
            done
        done
        if [[ -n ${command[t-interpreter-compact-1]:-} ]]; then
            same_digests "$DATA" t-interpreter-compact-1 t-baseline-compact
        fi
        table "--threads series: median of $RUNS runs, $records records, to /dev/null" "${group[@]}"
        echo "speedups over the same program at --threads 1 (throughput ratio: its wall time at 1 thread / at N):"
        for e in "${engines[@]}"; do
            for form in compact full; do
                [[ -n ${command[t-$e-$form-1]:-} ]] || continue
                for t in $counts; do
                    [[ $t == 1 ]] && continue
                    r=$(ratio "${wall[t-$e-$form-1]}" "${wall[t-$e-$form-$t]}")
                    echo "   $e, $form, --threads $t: ${r}x (CPU time $(ratio "${cpu[t-$e-$form-$t]}" "${cpu[t-$e-$form-1]}")x)"
                    if [[ $e == interpreter && $form == compact && $t == 2 ]]; then
                        add_goal "compact, --threads 2: interpreter speedup over its 1 thread" "$r" ge 1.8
                    else
                        add_goal "$form, --threads $t: $e speedup over its 1 thread" "$r" none -
                    fi
                done
            done
        done
        if [[ -n ${command[t-interpreter-compact-2]:-} ]]; then
            r=$(ratio "${wall[t-interpreter-compact-2]}" "${wall[t-baseline-compact]}")
            echo "interpreter --fields --threads 2 / baseline --compact (1 thread): ${r}x wall time"
            add_goal "compact, --threads 2: interpreter / hand-written compact (1 thread)" "$r" lt 1.0
            thread_goals_done=yes
        fi
    fi
fi
if [[ $thread_goals_done == no ]]; then
    why="section skipped"
    section_on threads && why="no --threads or --fields yet"
    add_goal "compact, --threads 2: interpreter / hand-written compact (1 thread)" - lt 1.0 "$why"
    add_goal "compact, --threads 2: interpreter speedup over its 1 thread" - ge 1.8 "$why"
fi

# =================================================================================================
if section_on explain; then
    echo
    echo "== rubric eval --explain against rubric eval, both to /dev/null, threads: 1 where the flag exists"
    command[e-plain]=$(engine_cmd interpreter 1)
    command[e-explain]=$(engine_cmd interpreter 1 --explain)
    title[e-plain]="rubric eval"
    title[e-explain]="rubric eval --explain"
    run_group "$DATA" null e-plain e-explain
    table "--explain: median of $RUNS runs, $records records" e-plain e-explain
    plain_bytes=$(head -n 10000 "$DATA" | $RUBRIC eval --quiet "$POLICY" | wc -c)
    explained_bytes=$(head -n 10000 "$DATA" | $RUBRIC eval --quiet --explain "$POLICY" | wc -c)
    r=$(ratio "${wall[e-explain]}" "${wall[e-plain]}")
    echo "eval --explain / eval:  ${r}x wall time ($(ratio "${cpu[e-explain]}" "${cpu[e-plain]}")x CPU time, $(ratio "${user[e-explain]}" "${user[e-plain]}")x user CPU time)"
    echo "   the explained output is $(ratio "$explained_bytes" "$plain_bytes")x the size of the plain one ($((explained_bytes / 10000)) against $((plain_bytes / 10000)) bytes a decision)"
    add_goal "eval --explain / eval" "$r" le 2 "output $(ratio "$explained_bytes" "$plain_bytes")x larger"
else
    add_goal "eval --explain / eval" - le 2 "section skipped"
fi

# =================================================================================================
if section_on csv; then
    echo
    echo "== rubric eval writing CSV against JSON lines (full fields), JSONL in, to /dev/null, threads: 1 where the flag exists"
    command[x-jsonl]=$(engine_cmd interpreter 1 --output-format jsonl)
    command[x-csv]=$(engine_cmd interpreter 1 --output-format csv)
    title[x-jsonl]="rubric eval, JSONL output"
    title[x-csv]="rubric eval, CSV output"
    for name in x-jsonl x-csv; do echo "   $name: ${command[$name]} INPUT"; done
    run_group "$DATA" null x-jsonl x-csv
    # shellcheck disable=SC2086 # the command is split into words on purpose
    csv_lines=$(${command[x-csv]} "$SMALL_DATA" | wc -l)
    if ((csv_lines == SMALL + 1)); then
        echo "   CSV output of $SMALL records: a header and $SMALL rows"
    else
        identical=no
        echo "   CSV output of $SMALL records has $csv_lines lines, not $((SMALL + 1))" >&2
    fi
    table "CSV against JSONL output: median of $RUNS runs, $records records" x-jsonl x-csv
    csv_bytes=$(head -n 10000 "$DATA" | ${command[x-csv]} - | wc -c)
    jsonl_bytes=$(head -n 10000 "$DATA" | ${command[x-jsonl]} - | wc -c)
    r=$(ratio "${wall[x-csv]}" "${wall[x-jsonl]}")
    echo "CSV / JSONL output: ${r}x wall time ($(ratio "${cpu[x-csv]}" "${cpu[x-jsonl]}")x CPU time); the CSV output is $(ratio "$csv_bytes" "$jsonl_bytes")x the size"
    add_goal "CSV output / JSONL output (interpreter)" "$r" le 1.0 "output $(ratio "$csv_bytes" "$jsonl_bytes")x the size"
else
    add_goal "CSV output / JSONL output (interpreter)" - le 1.0 "section skipped"
fi

# =================================================================================================
echo
echo "== summary: wall-time ratios (medians of $RUNS runs, $records records; speedups are throughput ratios)"
echo "   load average after the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| comparison | ratio | goal | verdict |"
echo "|---|---|---|---|"
printf '%s\n' "${summary[@]}"
((${#info[@]} == 0)) || printf '%s\n' "${info[@]}"
[[ $identical == yes ]] || { echo "outputs differ: the comparison is void" >&2; exit 1; }
