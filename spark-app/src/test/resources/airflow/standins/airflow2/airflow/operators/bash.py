"""Stand-in for Airflow 2's airflow.operators.bash (no standard provider installed)."""
import airflow_standin

BashOperator = airflow_standin.bash_operator_class(
    airflow_standin.AIRFLOW2, "airflow.operators.bash.BashOperator")
