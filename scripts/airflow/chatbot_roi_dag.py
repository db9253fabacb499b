"""Daily chatbot-roi run on Spark, for yesterday's data (Airflow 2.x, apache-airflow-providers-apache-spark).

The task runs `run --from {{ ds }} --to {{ ds }}`: ingest of every new lake file, then the
periods of that day and the `run.lookback-days` before it (late data), then attribution.
Backfills: `airflow dags backfill -s 2026-01-01 -e 2026-03-31 chatbot_roi`, or one long
`run --from … --to …` submitted by hand (it works in chunks of `run.chunk-days`).

Connection `spark_chatbot_roi`: host = the master (yarn, spark://host:7077, k8s://https://…).
Variables: chatbot_roi_jar, chatbot_roi_lake, chatbot_roi_warehouse; the e-mail hashing key comes
from the environment of the workers (CHATBOT_ROI_PII_KEY), never from the DAG.
"""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.models import Variable
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

with DAG(
    dag_id="chatbot_roi",
    schedule="15 3 * * *",
    start_date=datetime(2026, 1, 1),
    catchup=False,
    # two runs must not ingest the same new files at the same time (docs/operations.md)
    max_active_runs=1,
    default_args={"retries": 2, "retry_delay": timedelta(minutes=10)},
    tags=["chatbot-roi"],
) as dag:
    run = SparkSubmitOperator(
        task_id="run",
        conn_id="spark_chatbot_roi",
        application=Variable.get("chatbot_roi_jar", "/opt/chatbot-roi/chatbot-roi-0.1.0.jar"),
        java_class="dev.chatbotroi.Main",
        name="chatbot-roi run {{ ds }}",
        executor_memory="8g",
        executor_cores=4,
        num_executors=4,
        conf={"spark.sql.adaptive.enabled": "true"},
        application_args=[
            "run",
            "--lake", Variable.get("chatbot_roi_lake", "s3a://lake/chatbot"),
            "--warehouse", Variable.get("chatbot_roi_warehouse", "s3a://warehouse/chatbot-roi"),
            "--conf", "/opt/chatbot-roi/conf/cluster.conf",
            "--from", "{{ ds }}",
            "--to", "{{ ds }}",
        ],
    )
