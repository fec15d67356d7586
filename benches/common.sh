# shellcheck shell=bash
# Shared by the benchmark scripts (sourced, not run): record-count labels, megabytes, /usr/bin/time,
# the machine's description, and the rubric binary (RUBRIC=path, or built here in release mode).

label() { # 1000000 -> 1m, 100000 -> 100k
    if (($1 % 1000000 == 0)); then echo "$(($1 / 1000000))m"
    elif (($1 % 1000 == 0)); then echo "$(($1 / 1000))k"
    else echo "$1"; fi
}
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

if [[ ! -x /usr/bin/time ]]; then
    echo "== /usr/bin/time is missing; installing it (apt-get install time)"
    apt-get install -y -qq time >/dev/null || { apt-get update -qq && apt-get install -y -qq time; }
fi

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "   load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg)"

echo "== building (release)"
if [[ -n ${RUBRIC:-} ]]; then
    [[ -x $RUBRIC ]] || { echo "RUBRIC=$RUBRIC is not an executable" >&2; exit 2; }
else
    cargo build --release --quiet
    RUBRIC=target/release/rubric
fi
