"""The Python peer for bench/drift: what an Evidently user's drift check computes, in pandas + scipy.

Per column, as issue 15 describes Evidently's defaults: missing and infinite values dropped; `num`
when pandas reads the column as numbers; n = reference rows left, u = distinct values of both sides;
n <= 1000: ks (num, u > 5), else chisquare (u > 2) or z; n > 1000: wasserstein normed by the
reference's std (num, u > 5), else jensenshannon on binned shares (Sturges bins when a num
reference has more than 20 distinct values, else one bin per value). Dataset drift at share 0.5.
Prints JSON: {seconds_after_imports, columns: {name: {kind, test, score, drifted}}, dataset_drifted}.
Usage: python3 peer.py REFERENCE.csv CURRENT.csv
"""
import json
import sys
import time

import numpy as np
import pandas as pd
from scipy import stats
from scipy.spatial.distance import jensenshannon

started = time.perf_counter()
reference_path, current_path = sys.argv[1:3]
reference = pd.read_csv(reference_path)
current = pd.read_csv(current_path)


def present(series):
    series = series.dropna()
    if pd.api.types.is_numeric_dtype(series):
        series = series[np.isfinite(series)]
    return series


def shares(ref, cur, kind):
    if kind == "num" and len(np.unique(ref)) > 20:
        edges = np.histogram_bin_edges(np.concatenate([ref, cur]), bins="sturges")
        return np.histogram(ref, edges)[0] / len(ref), np.histogram(cur, edges)[0] / len(cur)
    keys = np.union1d(np.unique(ref), np.unique(cur))
    ref_counts = pd.Series(ref).value_counts().reindex(keys, fill_value=0).to_numpy()
    cur_counts = pd.Series(cur).value_counts().reindex(keys, fill_value=0).to_numpy()
    return ref_counts / len(ref), cur_counts / len(cur)


def score(ref, cur, kind):
    n = len(ref)
    u = len(np.union1d(np.unique(ref), np.unique(cur)))
    if n <= 1000:
        if kind == "num" and u > 5:
            return "ks", float(stats.ks_2samp(ref, cur).pvalue), lambda s: s <= 0.05
        keys = np.union1d(np.unique(ref), np.unique(cur))
        ref_counts = pd.Series(ref).value_counts().reindex(keys, fill_value=0).to_numpy()
        cur_counts = pd.Series(cur).value_counts().reindex(keys, fill_value=0).to_numpy()
        if u > 2:
            if (ref_counts == 0).any():
                return "chisquare", 0.0, lambda s: s < 0.05
            expected = ref_counts * (len(cur) / n)
            return "chisquare", float(stats.chisquare(cur_counts, expected).pvalue), lambda s: s < 0.05
        if u == 1:
            return "z", 1.0, lambda s: s < 0.05
        x1, x2 = n - ref_counts[0], len(cur) - cur_counts[0]
        pooled = (x1 + x2) / (n + len(cur))
        se = np.sqrt(pooled * (1 - pooled) * (1 / n + 1 / len(cur)))
        z = 0.0 if se == 0 else (x1 / n - x2 / len(cur)) / se
        return "z", 1.0 if se == 0 else float(2 * (1 - stats.norm.cdf(abs(z)))), lambda s: s < 0.05
    if kind == "num" and u > 5:
        distance = stats.wasserstein_distance(ref, cur) / max(np.std(ref), 0.001)
        return "wasserstein", float(distance), lambda s: s >= 0.1
    p, q = shares(ref, cur, kind)
    return "jensenshannon", float(jensenshannon(p, q)), lambda s: s >= 0.1


columns = {}
for name in reference.columns:
    ref, cur = present(reference[name]), present(current[name])
    both_numeric = pd.api.types.is_numeric_dtype(ref) and pd.api.types.is_numeric_dtype(cur)
    kind = "num" if both_numeric else "cat"
    ref_values = ref.to_numpy(dtype=float if both_numeric else str)
    cur_values = cur.to_numpy(dtype=float if both_numeric else str)
    test, value, drifts = score(ref_values, cur_values, kind)
    columns[name] = {"kind": kind, "test": test, "score": value, "drifted": bool(drifts(value))}

drifted = sum(1 for column in columns.values() if column["drifted"])
print(
    json.dumps(
        {
            "seconds_after_imports": time.perf_counter() - started,
            "columns": columns,
            "dataset_drifted": drifted / len(columns) >= 0.5,
        }
    )
)
