"""The Python peer for bench/evaluate: what a team writes today without Cairn.

pandas.read_csv, the model's logistic regression in numpy (weights read from the same ONNX file,
float32 like onnxruntime), and scikit-learn's metrics. Prints JSON: seconds after imports.
Usage: python3 peer.py MODEL.onnx DATA.csv TARGET
"""
import json
import sys
import time

import numpy as np
import onnx
import pandas as pd
from onnx import numpy_helper
from sklearn import metrics

started = time.perf_counter()
model_path, data_path, target = sys.argv[1:4]
weights = {t.name: numpy_helper.to_array(t) for t in onnx.load(model_path).graph.initializer}
frame = pd.read_csv(data_path)
y = frame.pop(target).to_numpy()
x = frame.to_numpy(dtype=np.float32)
z = ((x - weights["feature_mean"]) / weights["feature_std"]) @ weights["coefficients"] + weights["intercept"]
p = (1.0 / (1.0 + np.exp(-z))).ravel().astype(np.float32)
proba = np.stack([1 - p, p], axis=1)
pred = (p > 0.5).astype(int)
result = {
    "accuracy": metrics.accuracy_score(y, pred),
    "balanced_accuracy": metrics.balanced_accuracy_score(y, pred),
    "precision": metrics.precision_score(y, pred, zero_division=0),
    "recall": metrics.recall_score(y, pred, zero_division=0),
    "f1": metrics.f1_score(y, pred, zero_division=0),
    "roc_auc": metrics.roc_auc_score(y, p),
    "average_precision": metrics.average_precision_score(y, p),
    "log_loss": metrics.log_loss(y, proba),
    "brier_score": metrics.brier_score_loss(y, p),
    "confusion_matrix": metrics.confusion_matrix(y, pred).tolist(),
}
print(json.dumps({"seconds_after_imports": time.perf_counter() - started, "rows": len(y), "metrics": result}))
