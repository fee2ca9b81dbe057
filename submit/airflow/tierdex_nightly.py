"""tierdex nightly: one `tierdex run` a night (index, snapshot, diff, plan, migrate, report).

The task runs, through BashOperator:

    tierdex-submit [SPARK OPTIONS] -- run --config CONFIG --mode MODE --run-date {{ ds }}

Settings, each read when the task runs: the Airflow Variable, else the environment variable
of the Airflow worker (as it parses this file), else the default.

| Variable | environment | default |
|---|---|---|
| `tierdex_submit` | `TIERDEX_SUBMIT` | `$TIERDEX_HOME/submit/tierdex-submit` |
| `tierdex_config` | `TIERDEX_CONFIG` | `$TIERDEX_HOME/conf/tierdex.yaml` |
| `tierdex_mode` | `TIERDEX_MODE` | `yes` |
| `tierdex_spark_options` | `TIERDEX_SPARK_OPTIONS` | none: `conf/spark-defaults.conf` decides |

`TIERDEX_HOME` is the tierdex checkout, `/opt/tierdex` by default. The Spark options are
split at spaces (`--master spark://head01:7077 --executor-memory 4g`); a value with spaces
in it belongs in spark-defaults.conf.

Runs go through the pool `tierdex`. Create it once, with one slot, so that no other DAG's
tierdex command competes with the nightly run for the state directory:
`airflow pools set tierdex 1 "tierdex runs"`.

Works on Airflow 2 (2.4 or later, for `schedule`) and Airflow 3.
"""

import os
from datetime import timedelta

import pendulum

try:  # Airflow 3
    from airflow.sdk import DAG
except ImportError:  # Airflow 2
    from airflow import DAG
try:  # Airflow 3, and Airflow 2 with the standard provider
    from airflow.providers.standard.operators.bash import BashOperator
except ImportError:  # Airflow 2
    from airflow.operators.bash import BashOperator

HOME = os.environ.get("TIERDEX_HOME", "/opt/tierdex")

# Environment variable of the task: (Airflow Variable, default).
SETTINGS = {
    "TIERDEX_SUBMIT": ("tierdex_submit", HOME + "/submit/tierdex-submit"),
    "TIERDEX_CONFIG": ("tierdex_config", HOME + "/conf/tierdex.yaml"),
    "TIERDEX_MODE": ("tierdex_mode", "yes"),
    "TIERDEX_SPARK_OPTIONS": ("tierdex_spark_options", ""),
}


def setting(name):
    """The template of one setting: rendered when the task runs, so a Variable changed in the
    UI applies to the next run, and parsing this file never reads the metadata database."""
    variable, default = SETTINGS[name]
    return "{{ var.value.get(%r, %r) }}" % (variable, os.environ.get(name, default))


with DAG(
    dag_id="tierdex_nightly",
    description="Index, plan and migrate the BeeGFS tree with tierdex, once a night",
    schedule="0 2 * * *",
    # Fixed, and in the past: a moving start_date never schedules a run.
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    # A missed night is not worth replaying: the next run sees the whole tree anyway.
    catchup=False,
    # One run at a time: the first's lease on the state directory would refuse a second.
    max_active_runs=1,
    tags=["tierdex"],
    doc_md=__doc__,
) as dag:
    BashOperator(
        task_id="tierdex_run",
        # Settings arrive as environment variables, quoted here: rendered values are never
        # parsed by the shell. The Spark options are split at spaces on purpose.
        bash_command='"$TIERDEX_SUBMIT" $TIERDEX_SPARK_OPTIONS -- run --config "$TIERDEX_CONFIG"'
        ' --mode "$TIERDEX_MODE" --run-date {{ ds }}',
        env={name: setting(name) for name in SETTINGS},
        # Keep PATH, JAVA_HOME, SPARK_HOME... of the worker; env only adds to them.
        append_env=True,
        pool="tierdex",
        # Failures worth retrying are a node or the file system coming back; an interrupted
        # migration resumes from its journal instead of starting over.
        retries=2,
        retry_delay=timedelta(minutes=15),
        # Airflow 2, 3.0 and 3.1 take a switch: True doubles the delay each retry (and their
        # later releases refuse a number). Airflow's main branch makes it a multiplier, in
        # which True is 1.0, a constant delay (apache/airflow#56866): there, set 2.0.
        retry_exponential_backoff=True,
        max_retry_delay=timedelta(hours=2),
        # A night's run still going after 20 hours is stuck: stop it before the next night.
        execution_timeout=timedelta(hours=20),
    )
