#!/usr/bin/python3
"""The credit benchmarks in scikit-learn + pandas: the peer ctml is compared with.

Same files as bench/credit_bench.cpp reads (written by ctml_bench_data), same
preprocessing (standard scaler on the numeric columns; constant "missing"
imputation then one-hot on the categorical ones; logistic regression C=1,
lbfgs at scikit-learn's default tolerance), same tasks. Each task is timed
REPEATS times with time.perf_counter; the median is reported, in seconds,
as JSON on stdout.

Usage: sklearn_credit.py DATA_DIR [REPEATS] [csv_1m_rows_to_scores]
(the last runs only that task, so /usr/bin/time measures its memory alone)
"""
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

data_dir = Path(sys.argv[1])
repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
numeric = ["Age", "Job", "Credit amount", "Duration"]
categorical = ["Sex", "Housing", "Saving accounts", "Checking account", "Purpose"]


def model():
    return Pipeline([
        ("pre", ColumnTransformer([
            ("num", StandardScaler(), numeric),
            ("cat", Pipeline([("impute", SimpleImputer(strategy="constant", fill_value="missing")),
                              ("onehot", OneHotEncoder(handle_unknown="ignore"))]), categorical)])),
        ("lr", LogisticRegression(C=1.0, max_iter=1000))])


def read(path):
    return pd.read_csv(path, na_values=["NA"], keep_default_na=False)


def labels(frame):
    return (frame["Risk"] == "good").astype(int).to_numpy()


def timed(work, repeats=repeats):
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds)


only = sys.argv[3] if len(sys.argv) > 3 else None
train = read(data_dir / "train_800.csv")
full = read(data_dir / "credit_1000.csv")
big_path = data_dir / "credit_1m.csv"
fitted = model().fit(full, labels(full))
one = full.iloc[[1]]


def score_file():
    frame = read(big_path)
    p = fitted.predict_proba(frame)
    out = pd.DataFrame({"Sno": frame["Sno"], "p_bad": p[:, 0], "p_good": p[:, 1],
                        "Risk": np.where(p[:, 1] > 0.5, "good", "bad")})
    out.to_csv(data_dir / "sklearn_scores.csv", index=False)


results = {}
if only == "csv_1m_rows_to_scores":  # run alone, so its process's peak memory is its own
    results[only] = timed(score_file, repeats=repeats)
else:
    big = read(big_path)
    fit_big = read(data_dir / "credit_1m_fit.csv")
    results["fit_800_rows"] = timed(lambda: model().fit(train, labels(train)))
    results["fit_1m_rows"] = timed(lambda: model().fit(fit_big, labels(fit_big)), repeats=min(repeats, 3))
    results["one_record"] = timed(lambda: [fitted.predict_proba(one) for _ in range(100)]) / 100
    results["frame_1000_rows"] = timed(lambda: fitted.predict_proba(full))
    results["in_memory_1m_rows"] = timed(lambda: fitted.predict_proba(big), repeats=min(repeats, 3))
    results["csv_1m_rows_to_frame"] = timed(lambda: read(big_path), repeats=min(repeats, 3))
    results["csv_1m_rows_to_scores"] = timed(score_file, repeats=min(repeats, 3))
import sklearn
results["versions"] = {"scikit-learn": sklearn.__version__, "pandas": pd.__version__, "numpy": np.__version__}
print(json.dumps(results, indent=2))
