"""Stand-in for Airflow 2's top-level package: DAG is here, there is no airflow.sdk."""
import airflow_standin

DAG = airflow_standin.dag_class(airflow_standin.AIRFLOW2, "airflow.DAG")
