"""Final configuration: train on rows 1-45,000, test ONCE on rows 45,001-50,000 (book split);
then the same configuration on a second seeded random split (RandomState(1).permutation(50000))."""
import json, time
from common import *

CFG = dict(tok="simple_neg", n=2, nfeat=2**22, binary=True, nb_alpha=1.0, min_df=3, l2=True,
           lam=3e-6, eta0=3.0, power=0.75, epochs=10, avg_start=1.0, seed=42)

def fit_eval(texts_tr, y_tr, texts_te, y_te, label):
    t0 = time.time()
    toks = [tok_simple(t, neg=True) for t in texts_tr]
    fh = FeatureHasher(n_features=CFG["nfeat"], input_type="string", alternate_sign=False)
    X = fh.transform(ngrams(t, 2) for t in toks).tocsr(); X.sum_duplicates(); X.data[:] = 1.0
    t1 = time.time()
    r = nb_ratio(X, y_tr, alpha=CFG["nb_alpha"], min_df=CFG["min_df"])
    Z = scale_rows(X, r, l2=True)
    t2 = time.time()
    w, b, _, _ = asgd_fit(Z, y_tr, lam=CFG["lam"], eta0=CFG["eta0"], epochs=CFG["epochs"],
                          avg_start_epochs=CFG["avg_start"], seed=CFG["seed"], power=CFG["power"])
    t3 = time.time()
    Xte = fh.transform(ngrams(tok_simple(t, neg=True), 2) for t in texts_te).tocsr()
    Xte.sum_duplicates(); Xte.data[:] = 1.0
    Zte = scale_rows(Xte, r, l2=True)
    a64 = acc(Zte, y_te, w, b)
    r32 = r.astype(np.float32).astype(np.float64); w32 = w.astype(np.float32).astype(np.float64)
    a32 = acc(scale_rows(Xte, r32, l2=True), y_te, w32, float(np.float32(b)))
    res = dict(split=label, acc=a64, acc_float32=a32, nnz_r=int((r != 0).sum()), nnz_w=int((w != 0).sum()),
               nnz_w_outside_r=int(((w != 0) & (r == 0)).sum()), b=float(b),
               t_tokenize_hash=round(t1 - t0, 1), t_nb_scale=round(t2 - t1, 1), t_asgd=round(t3 - t2, 1))
    # pruning: |w| < thr set to 0 (reported for a few thresholds; final model uses thr=0)
    for thr in (1e-3, 3e-3, 1e-2):
        wp = np.where(np.abs(w) >= thr, w, 0.0)
        res[f"prune_{thr:g}"] = dict(acc=acc(Zte, y_te, wp, b), nnz_w=int((wp != 0).sum()))
    return res, r, w, b

if __name__ == "__main__":
    texts, y = load()
    out = {"cfg": CFG}
    res, r, w, b = fit_eval(texts[:45000], y[:45000], texts[45000:], y[45000:], "book")
    print(json.dumps(res), flush=True); out["book"] = res
    ids = np.flatnonzero(r != 0).astype(np.uint32)
    np.savez_compressed(os.path.join(CACHE, "model_book_split.npz"), ids=ids, r=r[ids].astype(np.float32),
                        w=w[ids].astype(np.float32), b=np.float32(b))
    perm = np.random.RandomState(1).permutation(50000)
    tr, te = perm[:45000], perm[45000:]
    res2, _, _, _ = fit_eval([texts[i] for i in tr], y[tr], [texts[i] for i in te], y[te], "random_seed1")
    print(json.dumps(res2), flush=True); out["random_seed1"] = res2
    json.dump(out, open(os.path.join(CACHE, "final_results.json"), "w"), indent=1)
