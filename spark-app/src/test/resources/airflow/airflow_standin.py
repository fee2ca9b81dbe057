"""What the stand-in `airflow` packages (standins/airflow2, standins/airflow3) are made of.

Their DAG and BashOperator take exactly the arguments the real constructors take, by name,
and raise TypeError for any other, as Airflow does; they check the types Airflow checks when
the DAG file is parsed, and record what they were given. `render` fills in a task's
templates the way Airflow does when the task runs, for the two expressions the tierdex DAG
uses; any other expression is an error, not a guess.

The argument names come from Airflow's API reference and sources:
- Airflow 2: airflow.models.dag.DAG and airflow.models.baseoperator.BaseOperator of 2.8
  (names added by later 2.x releases are left out, so a DAG that passes runs on 2.8 and up),
  airflow.operators.bash.BashOperator;
- Airflow 3: airflow.sdk.DAG and airflow.sdk.BaseOperator (task-sdk API reference,
  https://airflow.apache.org/docs/task-sdk/), and
  airflow.providers.standard.operators.bash.BashOperator.
"""

import ast
import datetime
import re

AIRFLOW2 = {
    "DAG": frozenset("""
        dag_id description schedule schedule_interval timetable start_date end_date
        full_filepath template_searchpath template_undefined user_defined_macros
        user_defined_filters default_args concurrency max_active_tasks max_active_runs
        dagrun_timeout sla_miss_callback default_view orientation catchup on_success_callback
        on_failure_callback doc_md params access_control is_paused_upon_creation
        jinja_environment_kwargs render_template_as_native_obj tags owner_links auto_register
        fail_stop""".split()),
    "BaseOperator": frozenset("""
        task_id owner email email_on_retry email_on_failure retries retry_delay
        retry_exponential_backoff max_retry_delay start_date end_date depends_on_past
        ignore_first_depends_on_past wait_for_past_depends_before_skipping wait_for_downstream
        dag params default_args priority_weight weight_rule queue pool pool_slots sla
        execution_timeout on_execute_callback on_failure_callback on_success_callback
        on_retry_callback pre_execute post_execute trigger_rule resources run_as_user
        task_concurrency max_active_tis_per_dag max_active_tis_per_dagrun executor_config
        do_xcom_push multiple_outputs inlets outlets task_group doc doc_md doc_json doc_yaml
        doc_rst logger_name""".split()),
    "BashOperator": frozenset("""
        bash_command env append_env output_encoding skip_exit_code skip_on_exit_code
        cwd""".split()),
}

AIRFLOW3 = {
    "DAG": frozenset("""
        dag_id description default_args start_date end_date schedule template_searchpath
        template_undefined user_defined_macros user_defined_filters max_active_tasks
        max_active_runs max_consecutive_failed_dag_runs dagrun_timeout deadline
        sla_miss_callback catchup on_success_callback on_failure_callback doc_md params
        access_control is_paused_upon_creation jinja_environment_kwargs
        render_template_as_native_obj tags owner_links auto_register fail_fast
        dag_display_name task_group disable_bundle_versioning""".split()),
    "BaseOperator": frozenset("""
        task_id owner email email_on_retry email_on_failure retries retry_delay
        retry_exponential_backoff max_retry_delay start_date end_date depends_on_past
        ignore_first_depends_on_past wait_for_past_depends_before_skipping wait_for_downstream
        dag params default_args priority_weight weight_rule queue pool pool_slots sla
        execution_timeout on_execute_callback on_failure_callback on_success_callback
        on_retry_callback on_skipped_callback pre_execute post_execute trigger_rule resources
        run_as_user map_index_template max_active_tis_per_dag max_active_tis_per_dagrun
        executor executor_config do_xcom_push multiple_outputs inlets outlets task_group doc
        doc_md doc_json doc_yaml doc_rst task_display_name logger_name
        allow_nested_operators""".split()),
    "BashOperator": frozenset("""
        bash_command env append_env output_encoding skip_on_exit_code cwd
        output_processor""".split()),
}

# Types Airflow checks while the file is parsed (BaseOperator's expected argument types,
# its execution_timeout check, DAG attribute validators), for the arguments that have them.
TYPES = {
    "task_id": str, "retries": int, "retry_exponential_backoff": bool, "pool": str,
    "execution_timeout": datetime.timedelta, "retry_delay": (datetime.timedelta, float, int),
    "max_retry_delay": (datetime.timedelta, float, int), "priority_weight": int,
    "dag_id": str, "description": str, "max_active_runs": int, "catchup": bool,
    "start_date": datetime.datetime, "tags": (list, set), "doc_md": str,
    "bash_command": str, "env": dict, "append_env": bool,
}

DAGS = []  # every DAG the parsed file made, in order
_current = []  # the DAGs whose `with` block is open


def check(what, accepted, kwargs):
    unknown = sorted(set(kwargs) - accepted)
    if unknown:
        raise TypeError(f"{what}() got unexpected keyword argument(s) {', '.join(unknown)}")
    for name, value in kwargs.items():
        expected = TYPES.get(name)
        # bool is an int to isinstance; Airflow's own check lets it pass for int arguments
        # too, but not the other way round.
        if expected is not None and value is not None and not isinstance(value, expected):
            raise TypeError(f"{what}(): {name} must be {expected}, not {type(value).__name__}")


def dag_class(version, qualname):
    accepted = version["DAG"]

    class DAG:
        def __init__(self, dag_id=None, **kwargs):
            kwargs["dag_id"] = dag_id
            check(qualname, accepted, kwargs)
            if not dag_id:
                raise TypeError(f"{qualname}() missing required argument 'dag_id'")
            self.kwargs = kwargs
            self.tasks = []
            self.qualname = qualname
            DAGS.append(self)

        def __enter__(self):
            _current.append(self)
            return self

        def __exit__(self, *exc):
            _current.pop()

    return DAG


def bash_operator_class(version, qualname):
    accepted = version["BaseOperator"] | version["BashOperator"]

    class BashOperator:
        template_fields = ("bash_command", "env", "cwd")

        def __init__(self, *args, **kwargs):
            if args:
                raise TypeError(f"{qualname}() takes keyword arguments only")
            check(qualname, accepted, kwargs)
            for required in ("task_id", "bash_command"):
                if required not in kwargs:
                    raise TypeError(f"{qualname}() missing required argument '{required}'")
            self.kwargs = kwargs
            self.qualname = qualname
            dag = kwargs.get("dag") or (_current[-1] if _current else None)
            if dag is None:
                raise RuntimeError(f"{qualname} {kwargs['task_id']} is in no DAG")
            dag.tasks.append(self)

    return BashOperator


_EXPRESSION = re.compile(r"\{\{(.*?)\}\}")
_VARIABLE = re.compile(r"var\.value\.get\((.*)\)")


def render(template, ds, variables):
    """`template` with `{{ ds }}` and `{{ var.value.get('name', 'default') }}` filled in from
    the run date `ds` and the Airflow Variables `variables`."""

    def value(match):
        expression = match.group(1).strip()
        if expression == "ds":
            return ds
        call = _VARIABLE.fullmatch(expression)
        if call:
            name, default = ast.literal_eval("(" + call.group(1) + ",)")
            return variables.get(name, default)
        raise ValueError(f"the stand-in cannot render {{{{ {expression} }}}}")

    return _EXPRESSION.sub(value, template)
