"""3-fold CV (KFold shuffle, random_state=0) inside the first 45,000 rows."""
import sys, json, time, itertools
from common import *
from sklearn.model_selection import KFold
from sklearn.linear_model import LogisticRegression

texts, y = load()
NTR = 45000
FOLDS = list(KFold(3, shuffle=True, random_state=0).split(np.arange(NTR)))

def run(cfg, folds=FOLDS, log=True):
    X = hashed(cfg["tok"], texts, n=cfg.get("n", 2), nfeat=cfg.get("nfeat", 2**22), binary=cfg.get("binary", True))
    Xtr_all = X[:NTR]; ytr_all = y[:NTR]
    accs = []; times = []; nnzs = []
    for tr, va in folds:
        t0 = time.time()
        Xa, ya = Xtr_all[tr], ytr_all[tr]
        if cfg.get("nb", True):
            r = nb_ratio(Xa, ya, alpha=cfg.get("nb_alpha", 1.0), min_df=cfg.get("min_df", 1))
        else:
            r = np.ones(X.shape[1])
        Za = scale_rows(Xa, r, l2=cfg.get("l2", True))
        if cfg.get("opt", "asgd") == "asgd":
            w, b, _, _ = asgd_fit(Za, ya, lam=cfg.get("lam", 1e-5), eta0=cfg.get("eta0", 0.5),
                                  epochs=cfg.get("epochs", 10), avg_start_epochs=cfg.get("avg_start", 1.0),
                                  seed=42, power=cfg.get("power", 0.75))
        else:
            m = LogisticRegression(C=cfg.get("C", 10), solver="liblinear", max_iter=200).fit(Za, ya)
            w, b = m.coef_.ravel(), m.intercept_[0]
        fit = time.time() - t0
        thr = cfg.get("prune", 0.0)
        if thr > 0: w = np.where(np.abs(w) >= thr, w, 0.0)
        Zv = scale_rows(Xtr_all[va], r, l2=cfg.get("l2", True))
        accs.append(acc(Zv, ytr_all[va], w, b)); times.append(fit); nnzs.append(int((w != 0).sum()))
    res = dict(cfg=cfg, cv_acc=float(np.mean(accs)), folds=[round(a, 4) for a in accs],
               fit_s=float(np.mean(times)), nnz_w=int(np.mean(nnzs)))
    if log:
        print(json.dumps(res), flush=True)
        with open(os.path.join(CACHE, "cv_results.jsonl"), "a") as f: f.write(json.dumps(res) + "\n")
    return res

if __name__ == "__main__":
    for line in sys.argv[1:]:
        run(json.loads(line))
