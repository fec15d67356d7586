#!/usr/bin/env bash
# Fuzzing Rubric with cargo-fuzz (libFuzzer, nightly toolchain).
#
#   scripts/fuzz.sh smoke [SECONDS]       every target for SECONDS (default 60) each: what CI runs
#   scripts/fuzz.sh run TARGET [SECONDS]  one target; without SECONDS, until stopped (a campaign)
#   scripts/fuzz.sh build                 generate the evaluators and build the targets
#
# Targets (fuzz/fuzz_targets/): check_policy, eval_records, generated_policy, differential.
# Seeds are fuzz/corpus/<target>/ (checked in, minimised) and fuzz/rubric.dict; what a campaign
# finds beyond them goes to target/fuzz-corpus/<target>/, and crashes to fuzz/artifacts/<target>/.
# Extra libFuzzer flags: FUZZ_FLAGS="-jobs=2 -workers=2" scripts/fuzz.sh run eval_records 1800
set -euo pipefail
cd "$(dirname "$0")/.."
TARGETS=(check_policy eval_records generated_policy differential)

ensure_tools() {
  if ! rustup toolchain list | grep -q '^nightly'; then
    echo "== installing the nightly toolchain (rustup)"
    rustup toolchain install nightly --profile minimal
  fi
  if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    echo "== installing cargo-fuzz (cargo install)"
    cargo +nightly install cargo-fuzz --locked
  fi
}

# The generated evaluators the differential target links: the same policies as fuzz/src/lib.rs.
generate() {
  cargo build --quiet --bin rubric
  local rubric=target/debug/rubric
  mkdir -p fuzz/generated
  for pair in lending:examples/lending.rubric hostile:tests/eval/hostile.rubric \
      driving_licence:examples/driving_licence.rubric civic_trust:examples/civic_trust.rubric; do
    local name=${pair%%:*} policy=${pair#*:}
    "$rubric" build "$policy" --target rust --name "$name" -o "fuzz/generated/$name" >/dev/null
  done
}

build() {
  ensure_tools
  generate
  (cd fuzz && cargo +nightly fuzz build)
}

# Runs one target for $2 seconds (0: no limit), from its checked-in seeds and what earlier runs
# found; fails on a crash, a hang (10 s for one input) or running out of memory (2 GB).
run_target() {
  local target=$1 seconds=${2:-0}
  local found=target/fuzz-corpus/$target
  mkdir -p "$found" "fuzz/corpus/$target"
  local limit=()
  if [ "$seconds" != 0 ]; then limit=(-max_total_time="$seconds"); fi
  # The record targets run the batch driver on worker threads, whose thread-local state (std's
  # channel contexts, glibc's destructor lists) LeakSanitizer reports as leaked when the threads
  # end: false leaks, so leak detection is off for them. Memory that grows with the input is
  # what tests/fixtures/batch.rs (memory::*) checks.
  local leaks=()
  case "$target" in eval_records|differential) leaks=(-detect_leaks=0) ;; esac
  # The two record targets read the same input layout, so each starts from both seed sets.
  local seeds=("corpus/$target")
  case "$target" in
    eval_records) seeds+=(corpus/differential) ;;
    differential) seeds+=(corpus/eval_records) ;;
  esac
  (cd fuzz && cargo +nightly fuzz run "$target" "../$found" "${seeds[@]}" -- \
    -dict=rubric.dict -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
    "${limit[@]}" "${leaks[@]}" ${FUZZ_FLAGS:-})
}

case "${1:-}" in
  build) build ;;
  smoke)
    build
    for target in "${TARGETS[@]}"; do
      echo "== fuzz $target for ${2:-60} s"
      run_target "$target" "${2:-60}"
    done
    ;;
  run)
    [ -n "${2:-}" ] || { echo "usage: scripts/fuzz.sh run TARGET [SECONDS]" >&2; exit 2; }
    build
    run_target "$2" "${3:-0}"
    ;;
  *)
    sed -n '2,12p' "$0" >&2
    exit 2
    ;;
esac
