"""Airflow DAG: the daily chatbot-roi run, then the PostgreSQL export for Looker Studio.

Copy this file into your DAGs folder and set the Airflow Variables below. It uses
SparkSubmitOperator (apache-airflow-providers-apache-spark) with a Spark connection
(`spark_default`) that points at your cluster (YARN, Kubernetes or standalone).

Each daily run covers its logical date; chatbot-roi itself re-reads the `run.lookback-days`
before it for late events. Backfills are Airflow backfills of this DAG (one run per day, in
order: max_active_runs=1), or one `run --from --to` over the whole range from the command line
(see docs/operations.md).
"""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.models import Variable
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

JAR = Variable.get("chatbot_roi_jar", default_var="/opt/chatbot-roi/chatbot-roi-0.1.0.jar")
LAKE = Variable.get("chatbot_roi_lake", default_var="s3a://YOUR_BUCKET/chatbot/lake")
WAREHOUSE = Variable.get("chatbot_roi_warehouse", default_var="s3a://YOUR_BUCKET/chatbot/warehouse")
CONF = Variable.get("chatbot_roi_conf", default_var="/opt/chatbot-roi/conf/cluster.conf")
JDBC_URL = Variable.get("chatbot_roi_jdbc_url", default_var="jdbc:postgresql://bi-db:5432/analytics")

SPARK_CONF = {
    # has no effect: chatbot-roi sets spark.sql.shuffle.partitions from its own setting
    # spark.shuffle-partitions (cluster.conf: 200), which wins; set it there (docs/settings.md)
    "spark.sql.shuffle.partitions": "64",
    "spark.executor.memory": "4g",
    "spark.executor.cores": "2",
    "spark.dynamicAllocation.enabled": "true",
    "spark.dynamicAllocation.maxExecutors": "8",
}

default_args = {
    "owner": "data-engineering",
    "retries": 2,  # a run that fails is safe to repeat: ingest is incremental, stages replace their periods
    "retry_delay": timedelta(minutes=10),
}

with DAG(
    dag_id="chatbot_roi_daily",
    start_date=datetime(2026, 3, 1),
    schedule="30 2 * * *",  # after the lake's nightly delivery
    catchup=False,
    max_active_runs=1,  # runs of overlapping ranges would conflict on the same Delta periods
    default_args=default_args,
    tags=["chatbot-roi"],
) as dag:
    run = SparkSubmitOperator(
        task_id="run",
        application=JAR,
        java_class="dev.chatbotroi.cli.Main",
        conn_id="spark_default",
        conf=SPARK_CONF,
        files=CONF,
        # the PII key comes from the environment of the driver, never from the command line
        env_vars={"CHATBOT_ROI_PII_KEY": "{{ var.value.chatbot_roi_pii_key }}"},
        application_args=[
            "run", "--lake", LAKE, "--warehouse", WAREHOUSE, "--conf", CONF,
            "--from", "{{ ds }}", "--to", "{{ ds }}",
        ],
    )

    export = SparkSubmitOperator(
        task_id="export_postgres",
        application=JAR,
        java_class="dev.chatbotroi.cli.Main",
        conn_id="spark_default",
        conf={"spark.sql.shuffle.partitions": "8"},
        env_vars={
            "CHATBOT_ROI_JDBC_USER": "{{ var.value.chatbot_roi_jdbc_user }}",
            "CHATBOT_ROI_JDBC_PASSWORD": "{{ var.value.chatbot_roi_jdbc_password }}",
        },
        # whole tables: small, and the scoreboard and attribution are rebuilt whole on every run
        application_args=["export", "--warehouse", WAREHOUSE, "--format", "jdbc", "--url", JDBC_URL,
                          "--schema", "chatbot_roi"],
    )

    run >> export
