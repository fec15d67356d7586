#!/usr/bin/env bash
# Scores the same `rubric gen` records with `rubric eval` and with the generated SQL inside
# DuckDB, PostgreSQL and Spark SQL (local[2]), and prints the time of each (loading the table is
# timed apart from scoring it). Scoring writes every decision: `rubric eval` to a file, the
# engines through the query's full result (PostgreSQL `COPY (…) TO`, DuckDB `COPY (…) TO`,
# Spark the `noop` sink).
#
#   bash scripts/sql-engines.sh                  # once: DuckDB and PySpark into target/
#   RECORDS=1000000 bash scripts/sql-bench.sh [POLICY]
#
# Needs a release build (`cargo build --release`) and the machine's PostgreSQL server binaries.
set -euo pipefail
cd "$(dirname "$0")/.."
POLICY=${1:-examples/lending.rubric}
RECORDS=${RECORDS:-1000000}
ENGINES=${ENGINES:-postgres duckdb spark}
RUBRIC=target/release/rubric
WORK=target/sql-bench
PYDIR=${RUBRIC_SQL_ENGINES_DIR:-$PWD/target/sql-engines/python}
BIN=${RUBRIC_PG_BINDIR:-/usr/lib/postgresql/15/bin}
rm -rf "$WORK" && mkdir -p "$WORK/input"
[ -x "$RUBRIC" ] || cargo build --release --quiet

now() { date +%s.%N; }
elapsed() { python3 -c "print(f'{$2 - $1:.2f}')"; }

echo "policy $POLICY, $RECORDS records"
# The input table's layout: the record's position first.
"$RUBRIC" gen "$POLICY" --records "$RECORDS" --seed 7 --format csv --record-numbers --quiet -o "$WORK/input/input.csv"

t0=$(now)
"$RUBRIC" eval "$POLICY" "$WORK/input/input.csv" --allow-rejects > "$WORK/eval.jsonl" 2>/dev/null
t1=$(now)
echo "rubric eval (1 core):          $(elapsed "$t0" "$t1") s"

for engine in $ENGINES; do
  "$RUBRIC" build "$POLICY" --target sql --dialect "$engine" --input-ddl -o "$WORK/$engine.ddl.sql"
  "$RUBRIC" build "$POLICY" --target sql --dialect "$engine" --view decisions -o "$WORK/$engine.sql"
  case $engine in
    postgres)
      dir=$PWD/$WORK/pg
      mkdir -p "$dir"
      as=()
      if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; as=(runuser -u postgres --); fi
      "${as[@]}" "$BIN/initdb" -D "$dir/data" -E UTF8 --locale=C -A trust >/dev/null
      printf "listen_addresses = ''\nunix_socket_directories = '%s'\nfsync = off\nmax_parallel_workers_per_gather = 2\nshared_buffers = 512MB\nwork_mem = 64MB\n" "$dir" >> "$dir/data/postgresql.conf"
      "${as[@]}" "$BIN/pg_ctl" -D "$dir/data" -l "$dir/log" -w start >/dev/null
      psql=(psql -h "$dir" -U postgres -d postgres -X -q -v ON_ERROR_STOP=1)
      "${psql[@]}" -f "$WORK/postgres.ddl.sql"
      t0=$(now)
      "${psql[@]}" -c "\\copy input FROM '$WORK/input/input.csv' WITH (FORMAT csv, HEADER true)"
      "${psql[@]}" -c "ANALYZE input"
      t1=$(now)
      "${psql[@]}" -f "$WORK/postgres.sql"
      "${psql[@]}" -c "COPY (SELECT * FROM decisions) TO '/dev/null'"
      t2=$(now)
      "${as[@]}" "$BIN/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null
      echo "postgresql 15:                 $(elapsed "$t1" "$t2") s scoring, $(elapsed "$t0" "$t1") s loading"
      ;;
    duckdb | spark)
      PYTHONPATH=$PYDIR python3 - "$engine" "$WORK" <<'PY'
import sys, time, os
engine, work = sys.argv[1], sys.argv[2]
ddl = open(f"{work}/{engine}.ddl.sql").read()
view = open(f"{work}/{engine}.sql").read().rstrip().rstrip(";")
csv = os.path.abspath(f"{work}/input/input.csv")
if engine == "duckdb":
    import duckdb
    con = duckdb.connect()
    t0 = time.time()
    con.execute(ddl)
    con.execute(f"COPY input FROM '{csv}' (FORMAT csv, HEADER true, ALLOW_QUOTED_NULLS false)")
    t1 = time.time()
    con.execute(view)
    con.execute("COPY (SELECT * FROM decisions) TO '/dev/null' (FORMAT csv)")
    t2 = time.time()
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    print(f"duckdb ({threads} threads):            {t2 - t1:.2f} s scoring, {t1 - t0:.2f} s loading")
else:
    from pyspark.sql import SparkSession
    spark = (SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false")
             .config("spark.sql.analyzer.maxIterations", "1000")
             .config("spark.sql.shuffle.partitions", "2").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    t0 = time.time()
    spark.sql(ddl.rstrip().rstrip(";").replace("OPTIONS (header 'true')",
              "OPTIONS (header 'true', multiLine 'true', escape '\"')") + f" LOCATION '{os.path.dirname(csv)}'")
    spark.sql("CACHE TABLE input")
    t1 = time.time()
    spark.sql(view)
    spark.sql("SELECT * FROM decisions").write.format("noop").mode("overwrite").save()
    t2 = time.time()
    print(f"spark sql (local[2]):          {t2 - t1:.2f} s scoring, {t1 - t0:.2f} s loading and caching")
    spark.stop()
PY
      ;;
  esac
done
