"""Final check of round 3 (model-variant-3.md), looked at once: the configuration chosen by CV in
exp3.py on the book split (train rows 0..44,999 / test 45,000..49,999) and on the
np.random.RandomState(1).permutation(50000) split (first 45k train / last 5k test).

  scripts/model-research.sh final3.py '{json cfg}'
"""
import sys, json, pickle
from exp3 import *

cfg = json.loads(sys.argv[1])
y = pd.read_csv(DATA, compression="gzip", encoding="utf-8")["sentiment"].to_numpy().astype(np.int8)
tok = cfg.get("tok", "simple_neg")
X12, X3 = mats(tok, cfg.get("tri_bits", 22))
out = dict(cfg=cfg)

# features per review: n-gram strings (uni+bi+tri) per view, and those of the plain view that differ
# from the negation view (n-grams touching a not_ token), i.e. the extra hashing the "+" view costs.
if "+" in tok:
    toks = pickle.load(open(os.path.join(CACHE, "tok_simple_neg.pkl"), "rb"))
    per, extra = [], []
    for t in toks:
        n = len(t); neg = np.array([w.startswith("not_") for w in t], bool)
        e = int(neg.sum())
        if n > 1: e += int((neg[:-1] | neg[1:]).sum())
        if n > 2 and cfg.get("tri", True): e += int((neg[:-2] | neg[1:-1] | neg[2:]).sum())
        per.append(n + max(n - 1, 0) + (max(n - 2, 0) if cfg.get("tri", True) else 0)); extra.append(e)
    out["ngrams_per_review_neg_view"] = float(np.mean(per))
    out["extra_ngrams_per_review_plain_view"] = float(np.mean(extra))

perm = np.random.RandomState(1).permutation(50000)
for label, tr, te in (("book", np.arange(45000), np.arange(45000, 50000)),
                      ("random_seed1", perm[:45000], perm[45000:])):
    t0 = time.time()
    m = Model(X12[tr], X3[tr], y[tr], cfg)
    Za = m.Z(X12[tr], X3[tr])
    t1 = time.time(); w, b = m.fit(Za, y[tr]); tfit = time.time() - t1
    Zt = m.Z(X12[te], X3[te])
    s = Zt @ w + b
    a64 = float(((s > 0) == (y[te] == 1)).mean())
    # float32 r and w: rebuild with rounded r
    r64 = m.r.copy()
    m.r = r64.astype(np.float32).astype(np.float64)
    s32 = m.Z(X12[te], X3[te]) @ w.astype(np.float32).astype(np.float64) + float(np.float32(b))
    m.r = r64
    a32 = float(((s32 > 0) == (y[te] == 1)).mean())
    res = dict(acc=a64, acc_float32=a32, stored_entries=int(m.keep.size),
               tri_stored=int((m.keep >= 2 ** 22).sum()), w_zero_in_stored=int((w == 0).sum()),
               nnz_per_train_row=round(Za.nnz / Za.shape[0], 1), nnz_per_test_row=round(Zt.nnz / Zt.shape[0], 1),
               b=float(b), fit_s=round(tfit, 1), s=round(time.time() - t0, 1))
    print(label, json.dumps(res), flush=True); out[label] = res
    if label == "book":
        np.savez_compressed(os.path.join(CACHE, "model3_book_split.npz"), ids=m.keep.astype(np.uint32),
                            r=m.r[m.keep].astype(np.float32), w=w.astype(np.float32), b=np.float32(b))
json.dump(out, open(os.path.join(CACHE, "final3_results.json"), "w"), indent=1)
print(json.dumps({k: v for k, v in out.items() if k not in ("book", "random_seed1")}))
