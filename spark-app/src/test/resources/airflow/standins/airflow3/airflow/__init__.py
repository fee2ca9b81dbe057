"""Stand-in for Airflow 3's top-level package: a DAG file takes DAG from airflow.sdk."""
