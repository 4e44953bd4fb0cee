"""Trains the book's chapter 8 model with scikit-learn on the CSV-decoded rows and compares its
weights with a movieclassifier model file (docs/model-format.md) trained on the same rows.

usage: sklearn_parity.py movie_data.csv.gz model.mcm
"""
import csv
import gzip
import re
import struct
import sys
import zlib

import numpy as np
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import SGDClassifier

data, model = sys.argv[1], sys.argv[2]
# The book's stop words, as the Swift source lists them.
stop = re.findall(r'^ +"(.+)",$', open("Sources/SentimentModel/StopWords+English.swift", encoding="utf-8").read(), re.M)
assert len(stop) == 179


def tokenizer(text):
    text = re.sub("<[^>]*>", "", text)
    emoticons = re.findall(r"(?::|;|=)(?:-)?(?:\)|\(|D|P)", text.lower())
    text = re.sub(r"[\W]+", " ", text.lower()) + " ".join(emoticons).replace("-", "")
    return [w for w in text.split() if w not in stop]


rows = list(csv.reader(gzip.open(data, "rt", encoding="utf-8", newline="")))[1:]
train, test = rows[:-5000], rows[-5000:]
vectorizer = HashingVectorizer(decode_error="ignore", n_features=2**21, preprocessor=None,
                               tokenizer=tokenizer, token_pattern=None)
clf = SGDClassifier(loss="log_loss", random_state=1, max_iter=1)
for start in range(0, len(train), 1000):
    batch = train[start:start + 1000]
    clf.partial_fit(vectorizer.transform([r[0] for r in batch]), np.array([int(r[1]) for r in batch]),
                    classes=np.array([0, 1]))
accuracy = clf.score(vectorizer.transform([r[0] for r in test]), np.array([int(r[1]) for r in test]))

raw = open(model, "rb").read()
assert raw[:8] == b"\x89MCM\r\n\x1a\n" and zlib.crc32(raw[:-4]) == struct.unpack_from("<I", raw, len(raw) - 4)[0]
features, = struct.unpack_from("<I", raw, 12)
scale, intercept = struct.unpack_from("<dd", raw, 40)
count, = struct.unpack_from("<I", raw, 96)
columns = np.frombuffer(raw, dtype="<u4", count=count, offset=104)
weights = np.zeros(features)
weights[columns] = np.frombuffer(raw, dtype="<f8", count=count, offset=(104 + 4 * count + 7) & ~7) * scale

identical = np.array_equal(weights, clf.coef_[0]) and intercept == clf.intercept_[0]
print(f"scikit-learn test accuracy {accuracy:.4f}; max |weight difference| {np.abs(weights - clf.coef_[0]).max()}; "
      f"intercepts {intercept!r} / {clf.intercept_[0]!r}; bit-for-bit identical: {identical}")
sys.exit(0 if identical else 1)
