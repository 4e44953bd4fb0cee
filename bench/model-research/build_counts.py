import time
from common import *
texts, y = load()
t0 = time.time()
X = hashed("simple_neg", texts, n=2, nfeat=2**22, binary=False)
print("counts", time.time() - t0, X.nnz / X.shape[0], flush=True)
