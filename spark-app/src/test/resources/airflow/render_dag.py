"""Parses a DAG file against the stand-in airflow package on PYTHONPATH, renders its one task
for a run date, and prints JSON: the DAG's and the task's arguments and classes, and the
bash_command and env Airflow would run.

    python3 render_dag.py DAG_FILE RUN_DATE [VARIABLE=VALUE...]

VARIABLE=VALUE are Airflow Variables. Exit 1 if the file does not parse against the
stand-ins (a TypeError names the argument) or does not make one DAG of one BashOperator.
"""

import datetime
import json
import os
import runpy
import sys

import airflow
import airflow_standin


def jsonable(value):
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, (str, int, float, bool, type(None))):
        return value
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [jsonable(v) for v in value]
    return repr(value)


def main(dag_file, ds, *assignments):
    standins = os.path.dirname(os.path.dirname(os.path.abspath(airflow.__file__)))
    if os.path.basename(os.path.dirname(standins)) != "standins":
        sys.exit(f"airflow comes from {airflow.__file__}, not from a stand-in")
    variables = dict(a.split("=", 1) for a in assignments)

    runpy.run_path(dag_file, run_name="tierdex_dag")
    if len(airflow_standin.DAGS) != 1 or len(airflow_standin.DAGS[0].tasks) != 1:
        sys.exit(f"{dag_file}: expected one DAG with one task, got "
                 f"{[(d.kwargs['dag_id'], len(d.tasks)) for d in airflow_standin.DAGS]}")
    dag = airflow_standin.DAGS[0]
    task = dag.tasks[0]
    print(json.dumps({
        "airflow": os.path.basename(standins),
        "dag_class": dag.qualname,
        "operator_class": task.qualname,
        "dag": jsonable({k: v for k, v in dag.kwargs.items() if k != "doc_md"}),
        "task": jsonable({k: v for k, v in task.kwargs.items() if k not in ("dag", "env")}),
        "bash_command": airflow_standin.render(task.kwargs["bash_command"], ds, variables),
        "env": {k: airflow_standin.render(v, ds, variables)
                for k, v in (task.kwargs.get("env") or {}).items()},
    }, indent=2))


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(*sys.argv[1:])
