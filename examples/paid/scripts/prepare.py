"""Step 1 of the pipeline: clean the raw export (a function of frames, not a script of files)."""

import pandas as pd


def prepare(raw: pd.DataFrame) -> pd.DataFrame:
    return raw.dropna(subset=["customer_id"])
