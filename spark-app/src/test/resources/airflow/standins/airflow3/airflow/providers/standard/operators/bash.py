"""Stand-in for the standard provider's BashOperator, the one Airflow 3 ships."""
import airflow_standin

BashOperator = airflow_standin.bash_operator_class(
    airflow_standin.AIRFLOW3, "airflow.providers.standard.operators.bash.BashOperator")
