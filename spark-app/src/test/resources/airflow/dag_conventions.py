"""Checks a DAG file's source, without importing it, against the conventions that keep a
nightly DAG working on Airflow 2 and 3 and scheduled once a night:

- DAG from airflow.sdk, else from airflow; BashOperator from the standard provider, else
  from airflow.operators.bash;
- schedule= a nightly cron string (Airflow 3 removed schedule_interval and timetable);
- a static start_date: pendulum.datetime(...) of literals, never now() or days_ago();
- catchup=False, max_active_runs=1, no sla (removed in Airflow 3);
- the task: retries, retry_delay, retry_exponential_backoff=True, the pool "tierdex", and
  the run date ({{ ds }}) passed to `... -- run --config ... --mode ... --run-date`.

    python3 dag_conventions.py DAG_FILE

Prints one line per convention; exit 1 if any is broken.
"""

import ast
import re
import sys

NIGHTLY_CRON = re.compile(r"[0-5]?\d ([01]?\d|2[0-3]) \* \* \*")
COMMAND = re.compile(r" -- run --config \S+ --mode \S+ --run-date \{\{ ds \}\}$")


def literal(node):
    """The value of a constant expression, or a marker that it is not one."""
    try:
        return ast.literal_eval(node)
    except ValueError:
        return NotImplemented


def calls(tree, name):
    return [n for n in ast.walk(tree) if isinstance(n, ast.Call)
            and isinstance(n.func, ast.Name) and n.func.id == name]


def fallback_imports(tree, name):
    """The modules `name` is imported from in a try, then in its ImportError handler."""
    def source(body):
        return [s.module for s in body if isinstance(s, ast.ImportFrom)
                and any(a.name == name for a in s.names)]

    for t in ast.walk(tree):
        if isinstance(t, ast.Try) and source(t.body):
            handlers = [h for h in t.handlers
                        if isinstance(h.type, ast.Name) and h.type.id == "ImportError"]
            return source(t.body) + [m for h in handlers for m in source(h.body)]
    return []


def static_start_date(node):
    """pendulum.datetime(2026, 1, 1, tz="UTC") and the like: literals only."""
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name) and node.func.value.id == "pendulum"
            and node.func.attr == "datetime" and node.args
            and all(literal(a) is not NotImplemented for a in node.args)
            and all(literal(k.value) is not NotImplemented for k in node.keywords))


def check(path):
    tree = ast.parse(open(path, encoding="utf-8").read(), path)
    results = []

    def expect(ok, what):
        results.append(ok)
        print(("ok:   " if ok else "FAIL: ") + what)

    expect(fallback_imports(tree, "DAG") == ["airflow.sdk", "airflow"],
           "DAG from airflow.sdk, falling back to airflow")
    expect(fallback_imports(tree, "BashOperator")
           == ["airflow.providers.standard.operators.bash", "airflow.operators.bash"],
           "BashOperator from airflow.providers.standard.operators.bash, falling back to"
           " airflow.operators.bash")

    dags = calls(tree, "DAG")
    tasks = calls(tree, "BashOperator")
    expect(len(dags) == 1 and len(tasks) == 1, "one DAG(...) and one BashOperator(...)")
    if len(dags) != 1 or len(tasks) != 1:
        return all(results)
    dag = {k.arg: k.value for k in dags[0].keywords}
    task = {k.arg: k.value for k in tasks[0].keywords}

    schedule = literal(dag["schedule"]) if "schedule" in dag else None
    expect(isinstance(schedule, str) and NIGHTLY_CRON.fullmatch(schedule) is not None,
           f"schedule= a nightly cron string (got {schedule!r})")
    expect(not {"schedule_interval", "timetable"} & dag.keys(),
           "no schedule_interval or timetable (removed in Airflow 3)")
    expect("start_date" in dag and static_start_date(dag["start_date"]),
           "a static start_date: pendulum.datetime(...) of literals")
    expect("catchup" in dag and literal(dag["catchup"]) is False, "catchup=False")
    expect("max_active_runs" in dag and literal(dag["max_active_runs"]) == 1,
           "max_active_runs=1")
    expect(not {"sla", "sla_miss_callback"} & (dag.keys() | task.keys()),
           "no sla (removed in Airflow 3)")

    retries = literal(task["retries"]) if "retries" in task else None
    expect(isinstance(retries, int) and retries >= 1, f"retries >= 1 (got {retries!r})")
    expect("retry_delay" in task, "a retry_delay")
    expect("retry_exponential_backoff" in task
           and literal(task["retry_exponential_backoff"]) is True,
           "retry_exponential_backoff=True")
    pool = literal(task["pool"]) if "pool" in task else None
    expect(pool == "tierdex", f"pool='tierdex' (got {pool!r})")
    command = literal(task["bash_command"]) if "bash_command" in task else None
    expect(isinstance(command, str) and COMMAND.search(command) is not None,
           f"bash_command ends in -- run --config ... --mode ... --run-date {{{{ ds }}}}"
           f" (got {command!r})")
    return all(results)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(0 if check(sys.argv[1]) else 1)
