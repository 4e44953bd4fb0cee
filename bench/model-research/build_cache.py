import sys, time
from common import *
texts, y = load()
for name in sys.argv[1:]:
    t0 = time.time(); toks = tokens_cached(name, texts); t1 = time.time()
    for n in (1, 2):
        X = hashed(name, texts, n=n)
    print(name, "tok %.1fs" % (t1 - t0), "hash %.1fs" % (time.time() - t1), "nnz/doc bigram %.1f" % (X.nnz / X.shape[0]), flush=True)
