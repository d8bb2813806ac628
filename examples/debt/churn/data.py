"""Loading the customer table."""

import sqlite3

import pandas as pd

CUSTOMERS_URL = "https://data.example.com/exports/customers.csv"


def load_customers() -> pd.DataFrame:
    # Whatever the export holds today: the file behind this URL changes without notice.
    return pd.read_csv(CUSTOMERS_URL)


def load_support_calls(db_path: str) -> pd.DataFrame:
    connection = sqlite3.connect(db_path)
    return pd.read_sql(
        "SELECT customer_id, COUNT(*) AS support_calls FROM tickets GROUP BY customer_id",
        connection,
    )


def load_contracts(db_path: str) -> pd.DataFrame:
    connection = sqlite3.connect(db_path)
    return pd.read_sql("SELECT * FROM contracts", connection)


def load_labels() -> pd.DataFrame:
    return pd.read_csv("/home/alice/churn/labels_2024.csv")
