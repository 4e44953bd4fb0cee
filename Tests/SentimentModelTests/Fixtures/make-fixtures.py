"""Rebuilds the fixtures from shared/parity: python3 make-fixtures.py PATH/TO/shared/parity"""
import gzip
import json
import sys

import numpy as np

parity = sys.argv[1].rstrip("/") + "/"
raw = open(parity + "vectorizer-cases.jsonl", "rb").read()
with gzip.GzipFile("sklearn-vectorizer-cases.jsonl.gz", "wb", mtime=0) as out:
    out.write(raw)
cases = [json.loads(line) for line in raw.decode().split("\n") if line]
columns = sorted({column for case in cases for column, _ in case["indices"]})
coef = np.load(parity + "sklearn-model/coef.npy")[0]
intercept = float(np.load(parity + "sklearn-model/intercept.npy")[0])
weights = {"intercept": intercept, "columns": columns, "weights": [float(coef[c]) for c in columns]}
with gzip.GzipFile("sklearn-weights-for-cases.json.gz", "wb", mtime=0) as out:
    out.write(json.dumps(weights).encode())
