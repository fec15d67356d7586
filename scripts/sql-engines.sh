#!/usr/bin/env bash
# Installs the Python SQL engines that the SQL backend's tests (tests/sql/) run generated SQL on:
# DuckDB and PySpark, with pip, into target/sql-engines/python (or $RUBRIC_SQL_ENGINES_DIR, which
# the tests read too). Nothing is installed system-wide.
#
#   bash scripts/sql-engines.sh          then   cargo test --test sql
#
# Run it once; it does nothing when both engines, at the versions below, already import. Spark
# also needs Java 17 or later on PATH, and the PostgreSQL trials need the PostgreSQL server
# binaries (Debian/Ubuntu: `apt-get install postgresql`, which also creates the `postgres` user
# the server must run as when the tests run as root); this script only checks for those. Without
# an engine its trials are skipped, saying why; CI sets RUBRIC_REQUIRE_SQL_ENGINES=1 to make that
# a failure. $RUBRIC_PYTHON chooses the Python (default python3), the same one the tests run.
#
# The versions are pinned because the engines' SQL semantics move between releases (e.g. DuckDB
# 2 makes `1/0` infinity, Spark 4 turns ANSI mode on), so every machine compares against the same.
set -euo pipefail
cd "$(dirname "$0")/.."

duckdb_version=2.0.1
pyspark_version=4.3.0
dir="${RUBRIC_SQL_ENGINES_DIR:-target/sql-engines/python}"
python="${RUBRIC_PYTHON:-python3}"

versions() {
  PYTHONPATH="$dir" "$python" -c 'import duckdb, pyspark; print(duckdb.__version__, pyspark.__version__)' 2>/dev/null
}

if [ "$(versions || true)" = "$duckdb_version $pyspark_version" ]; then
  echo "SQL engines already installed in $dir"
else
  echo "== installing duckdb $duckdb_version and pyspark $pyspark_version into $dir (pip)"
  mkdir -p "$dir"
  # --upgrade replaces older copies in the target directory, which pip otherwise leaves alone.
  "$python" -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
    --no-warn-script-location --upgrade --target "$dir" \
    "duckdb==$duckdb_version" "pyspark==$pyspark_version"
  if [ "$(versions || true)" != "$duckdb_version $pyspark_version" ]; then
    echo "error: duckdb and pyspark do not import from $dir after installing them" >&2
    exit 1
  fi
fi
read -r duckdb pyspark <<<"$(versions)"
echo "duckdb $duckdb, pyspark $pyspark ($dir)"

if java_version="$(java -version 2>&1 | head -n 1)"; then
  echo "java: $java_version"
else
  echo "warning: no java on PATH: the Spark trials need Java 17 or later" >&2
fi
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null; then
  echo "postgres: $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | tail -n 1 || command -v initdb)"
else
  echo "warning: no PostgreSQL server binaries (initdb): the PostgreSQL trials need them" >&2
fi
