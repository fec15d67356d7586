#!/usr/bin/env python3
"""Runs a batch of SQL jobs on DuckDB or Spark SQL, for Rubric's SQL backend tests.

Usage (tests/sql/engines/python.rs runs it; scripts/sql-engines.sh installs the engines):

    PYTHONPATH=target/sql-engines/python python3 tests/sql/runner.py ENGINE MANIFEST.json OUT.json

ENGINE is `duckdb` or `spark`. MANIFEST.json is
`{"scratch": DIR, "jobs": [{"table", "ddl", "csv", "setup": [...], "query"}]}`: each job creates
its input table (`ddl`, which creates the table named `table`), loads it from the CSV file `csv`
(a header row; an empty unquoted cell is NULL, `""` the empty text), runs the `setup` statements,
then the `query`. OUT.json gets `{"results": [...]}`, one per job and in order: `{"ok":
{"columns": [...], "rows": [[...]]}}` with every value as text (NULL as null), or `{"err":
"message"}`. A failing job fails alone; the process fails only if the engine cannot start.

* DuckDB: a fresh in-memory database per job; the CSV loaded with COPY.
* Spark: one local session for the whole batch (its start takes seconds); the CSV table reads the
  job's file where it lies (`LOCATION`), and every table and view is dropped after each job.
"""

import datetime
import decimal
import json
import os
import re
import shutil
import sys
import time


def text(value):
    """A value as the tests compare it: booleans as true/false, decimals in plain notation with
    their scale (as CAST(... AS VARCHAR) writes them in DuckDB and Spark: str() would write
    0.0000001000 as 1.000E-7), NULL as None."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat(sep=" ") if isinstance(value, datetime.datetime) else value.isoformat()
    return str(value)


def message(error):
    """An engine error as one message: its type and text, without a JVM stack trace. A Java
    exception PySpark does not translate (e.g. a CSV cell that does not parse) says what went
    wrong only in its causes, so those are added."""
    body = str(error).split("\n\tat ", 1)[0].strip() or repr(error)
    cause = getattr(error, "java_exception", None)
    try:
        cause = cause.getCause() if cause is not None else None
        for _ in range(5):
            if cause is None:
                break
            body += "\ncaused by: " + str(cause.toString())
            cause = cause.getCause()
    except Exception:  # the JVM is gone: the message so far is all there is
        pass
    return f"{type(error).__name__}: {body}"[:4000]


def sql_string(value):
    """A SQL string literal in which a backslash is an ordinary character (DuckDB)."""
    return "'" + value.replace("'", "''") + "'"


def spark_string(value):
    """A Spark SQL string literal: a backslash escapes the next character there."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def run_duckdb(jobs, scratch):
    import duckdb

    results = []
    for job in jobs:
        con = duckdb.connect(":memory:")
        try:
            con.execute(job["ddl"])
            # Every option spelled out, so the sniffer guesses nothing; quoted nulls off, so that
            # `""` is the empty text (only an empty unquoted cell is NULL), as in PostgreSQL.
            con.execute(
                f"COPY {job['table']} FROM {sql_string(job['csv'])} (FORMAT csv, HEADER true, "
                "DELIMITER ',', QUOTE '\"', ESCAPE '\"', NULL '', ALLOW_QUOTED_NULLS false)"
            )
            for statement in job["setup"]:
                con.execute(statement)
            cursor = con.execute(job["query"])
            columns = [d[0] for d in cursor.description]
            rows = [[text(v) for v in row] for row in cursor.fetchall()]
            results.append({"ok": {"columns": columns, "rows": rows}})
        except Exception as error:  # a job's SQL error is its result, not the batch's
            results.append({"err": message(error)})
        finally:
            con.close()
    return results


# The CSV options Spark needs to read the file as PostgreSQL and DuckDB do, added to a table's
# OPTIONS when its DDL does not set them: quoted cells may span lines; a quote inside one is
# doubled (Spark's default escape is a backslash); NULL is only an unquoted empty cell (Spark's
# default nullValue "" also turns `""` into NULL, so the null marker is a control character no
# test writes, which an unquoted empty cell stands for); a cell that does not parse is an error
# (the default, PERMISSIVE, makes it NULL).
SPARK_CSV_OPTIONS = [
    ("header", "'true'"),
    ("multiLine", "'true'"),
    ("escape", "'\"'"),
    ("nullValue", "'\\u0001'"),
    ("mode", "'FAILFAST'"),
]


def spark_ddl(ddl, location):
    """The job's DDL with the CSV options it lacks and ` LOCATION '<dir>'` appended."""
    ddl = ddl.strip().rstrip(";").rstrip()
    options = re.search(r"\bOPTIONS\s*\(([^)]*)\)", ddl, re.IGNORECASE)
    written = options.group(1) if options else ""
    missing = [
        f"{key} {value}"
        for key, value in SPARK_CSV_OPTIONS
        if not re.search(rf"(^|[\s,'\"`]){key}\b", written, re.IGNORECASE)
    ]
    if options and missing:
        head = ddl[: options.end(1)].rstrip()
        sep = ", " if written.strip() else ""
        ddl = head + sep + ", ".join(missing) + ddl[options.end(1) :]
    elif missing:
        ddl += " OPTIONS (" + ", ".join(missing) + ")"
    return f"{ddl} LOCATION {spark_string(location)}"


def spark_location(csv, scratch, n):
    """A directory holding only this CSV file (Spark reads every file in a table's directory):
    its own, if it is alone there, else a copy."""
    folder = os.path.dirname(csv)
    others = [
        f
        for f in os.listdir(folder)
        if not f.startswith((".", "_")) and f != os.path.basename(csv)
    ]
    if not others:
        return folder
    own = os.path.join(scratch, f"job-{n}")
    os.makedirs(own, exist_ok=True)
    target = os.path.join(own, "data.csv")
    if os.path.lexists(target):
        os.remove(target)
    try:
        os.link(csv, target)
    except OSError:
        shutil.copyfile(csv, target)
    return own


def spark_session(scratch):
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ["PYSPARK_PYTHON"] = sys.executable
    # The JVM logs only errors (not Spark's startup warnings), to stderr, which the Rust side
    # shows only if the runner fails.
    log4j = os.path.join(scratch, "log4j2.properties")
    with open(log4j, "w") as f:
        f.write(
            "rootLogger.level = error\n"
            "rootLogger.appenderRef.stderr.ref = console\n"
            "appender.console.type = Console\n"
            "appender.console.name = console\n"
            "appender.console.target = SYSTEM_ERR\n"
            "appender.console.layout.type = PatternLayout\n"
            "appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n\n"
        )
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("rubric-sql-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        # Generated queries are deep (a layer per step); the README tells users the same.
        .config("spark.sql.analyzer.maxIterations", "1000")
        .config("spark.default.parallelism", "2")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.warehouse.dir", os.path.join(scratch, "warehouse"))
        .config("spark.local.dir", os.path.join(scratch, "local"))
        .config("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile=file:{log4j}")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    try:
        # PySpark 4 logs every SQL error, with its stack, before raising it; the error is the
        # job's result already.
        from pyspark.logger import PySparkLogger

        for name in ("SQLQueryContextLogger", "DataFrameQueryContextLogger"):
            PySparkLogger.getLogger(name).disabled = True
    except ImportError:
        pass
    return session


def spark_drop_all(session):
    for table in session.catalog.listTables():
        name = "`" + table.name.replace("`", "``") + "`"
        if table.isTemporary:
            session.catalog.dropTempView(table.name)
        elif table.tableType == "VIEW":
            session.sql(f"DROP VIEW IF EXISTS {name}")
        else:
            session.sql(f"DROP TABLE IF EXISTS {name}")


def run_spark(jobs, scratch):
    started = time.monotonic()
    session = spark_session(scratch)
    print(f"spark {session.version}: session started in {time.monotonic() - started:.1f}s", file=sys.stderr)
    results = []
    try:
        for n, job in enumerate(jobs):
            try:
                location = spark_location(job["csv"], scratch, n)
                session.sql(spark_ddl(job["ddl"], location))
                for statement in job["setup"]:
                    session.sql(statement)
                frame = session.sql(job["query"])
                columns = list(frame.columns)
                rows = [[text(v) for v in row] for row in frame.collect()]
                results.append({"ok": {"columns": columns, "rows": rows}})
            except Exception as error:  # a job's SQL error is its result, not the batch's
                results.append({"err": message(error)})
            finally:
                try:
                    spark_drop_all(session)
                except Exception as error:
                    print(f"spark: cannot drop job {n}'s tables: {message(error)}", file=sys.stderr)
    finally:
        session.stop()
    return results


def main(argv):
    if len(argv) != 4 or argv[1] not in ("duckdb", "spark"):
        print(__doc__, file=sys.stderr)
        return 2
    engine, manifest_path, out_path = argv[1:]
    with open(manifest_path, encoding="utf-8") as f:
        manifest = json.load(f)
    jobs = manifest["jobs"]
    scratch = manifest.get("scratch") or os.path.dirname(os.path.abspath(out_path))
    run = run_duckdb if engine == "duckdb" else run_spark
    results = run(jobs, scratch)
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump({"results": results}, f)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
