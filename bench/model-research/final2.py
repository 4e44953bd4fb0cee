"""Final check (looked at once): chosen config on book split (rows 1-45k / 45,001-50k) and
RandomState(1).permutation(50000) split. Uses the cached hashed count matrix (row order = CSV order)."""
import sys, json
from exp import *
import pandas as pd
cfg = json.loads(sys.argv[2]); src = sys.argv[1]
y = pd.read_csv(DATA, compression="gzip", encoding="utf-8")["sentiment"].to_numpy().astype(np.int8)
X = sp.load_npz(src).tocsr()
out = dict(cfg=cfg, src=src, feats_per_review_nnz=X.nnz / X.shape[0])
perm = np.random.RandomState(1).permutation(50000)
for label, tr, te in (("book", np.arange(45000), np.arange(45000, 50000)), ("random_seed1", perm[:45000], perm[45000:])):
    Xa, ya = X[tr], y[tr]
    r, _ = feat_scale(Xa, ya, cfg)
    Za = scale_rows(transform(Xa, cfg), r, l2=cfg.get("l2", True))
    w, b = fit(Za, ya, cfg)
    Xte = transform(X[te], cfg)
    s = scale_rows(Xte, r, l2=True) @ w + b
    a64 = float(((s > 0) == (y[te] == 1)).mean())
    r32 = r.astype(np.float32).astype(np.float64); w32 = w.astype(np.float32).astype(np.float64)
    s32 = scale_rows(Xte, r32, l2=True) @ w32 + float(np.float32(b))
    a32 = float(((s32 > 0) == (y[te] == 1)).mean())
    res = dict(acc=a64, acc_float32=a32, stored_entries=int((r != 0).sum()), nnz_w=int((w != 0).sum()),
               w_outside_r=int(((w != 0) & (r == 0)).sum()), b=float(b))
    print(label, json.dumps(res), flush=True); out[label] = res
    if label == "book":
        ids = np.flatnonzero(r != 0).astype(np.uint32)
        np.savez_compressed("model2_book_split.npz", ids=ids, r=r[ids].astype(np.float32), w=w[ids].astype(np.float32), b=np.float32(b))
json.dump(out, open("final2_results.json", "w"), indent=1)
