"""Stand-in for Airflow 3's airflow.sdk."""
import airflow_standin

DAG = airflow_standin.dag_class(airflow_standin.AIRFLOW3, "airflow.sdk.DAG")
