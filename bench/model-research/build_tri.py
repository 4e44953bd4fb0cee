import sys, time, pickle
from common import *
toks = pickle.load(open("cache/tok_simple_neg.pkl", "rb"))
def isneg(t): return t in NEG or t.endswith("n't")
def feats(t, mode):
    f = list(t) + [t[i] + " " + t[i+1] for i in range(len(t) - 1)]
    if mode == "full":
        f += [t[i] + " " + t[i+1] + " " + t[i+2] for i in range(len(t) - 2)]
    elif mode == "negstart":   # trigram only if it starts with a negation trigger word (not_-prefixed or not)
        f += [t[i] + " " + t[i+1] + " " + t[i+2] for i in range(len(t) - 2) if isneg(t[i])]
    elif mode == "negscope":   # trigram only if its 2nd token is inside a negation scope (starts with not_)
        f += [t[i] + " " + t[i+1] + " " + t[i+2] for i in range(len(t) - 2) if t[i+1].startswith("not_")]
    return f
for mode in sys.argv[1:]:
    t0 = time.time()
    nf = [0]
    fh = FeatureHasher(n_features=2**22, input_type="string", alternate_sign=False, dtype=np.float64)
    lens = []
    def gen():
        for t in toks:
            f = feats(t, mode); lens.append(len(f)); yield f
    X = fh.transform(gen()).tocsr(); X.sum_duplicates(); X.sort_indices()
    sp.save_npz(f"cache/X_simple_neg_tri{mode}_4194304_0.npz", X, compressed=False)
    ntok = np.mean([len(t) for t in toks])
    print(mode, "s=%.1f" % (time.time() - t0), "features/review=%.1f" % np.mean(lens), "tokens/review=%.1f" % ntok,
          "nnz/review=%.1f" % (X.nnz / X.shape[0]), flush=True)
