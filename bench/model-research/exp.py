"""Fast multi-config 3-fold CV; saves out-of-fold validation scores to scores/<name>.npy"""
import sys, json, time
from common import *
from sklearn.model_selection import KFold
from numba import njit

NTR = 45000
FOLDS = list(KFold(3, shuffle=True, random_state=0).split(np.arange(NTR)))
y_all = None

@njit(cache=True)
def _asgd_drop(indptr, indices, data, y, nfeat, lam, eta0, epochs, avg_start, seed, power, drop, dseed):
    n = y.shape[0]
    v = np.zeros(nfeat); abar = np.zeros(nfeat)
    wdiv = 1.0; adiv = 1.0; wfrac = 0.0
    b = 0.0; ab = 0.0
    t = 0
    state = np.uint64(seed)
    ds = np.uint64(dseed)
    keep = 1.0 - drop
    xs = np.zeros(100000)
    for ep in range(epochs):
        perm, state = splitmix64_perm(n, state)
        for k in range(n):
            i = perm[k]
            eta = eta0 / (1.0 + lam * eta0 * t) ** power
            mu = 1.0 / max(1.0, t - avg_start + 1.0) if t >= avg_start else 1.0
            s = 0.0
            m = 0
            for p in range(indptr[i], indptr[i + 1]):
                xv = data[p]
                if drop > 0.0:
                    ds = ds + np.uint64(0x9E3779B97F4A7C15)
                    z = ds
                    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
                    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
                    z = z ^ (z >> np.uint64(31))
                    u = np.float64(z >> np.uint64(11)) * (1.0 / 9007199254740992.0)
                    if u < drop:
                        xv = 0.0
                    else:
                        xv = xv / keep
                xs[m] = xv; m += 1
                s += v[indices[p]] * xv
            s = s / wdiv + b
            z2 = y[i] * s
            if z2 > 0:
                e = np.exp(-z2); g = y[i] * e / (1.0 + e)
            else:
                g = y[i] / (1.0 + np.exp(z2))
            wdiv = wdiv / (1.0 - eta * lam)
            c = eta * g * wdiv
            if c != 0.0:
                m = 0
                for p in range(indptr[i], indptr[i + 1]):
                    xv = xs[m]; m += 1
                    v[indices[p]] += c * xv
                    if t >= avg_start:
                        abar[indices[p]] -= wfrac * c * xv
            b += eta * g
            if t < avg_start:
                wfrac = 0.0; adiv = 1.0
            else:
                if mu >= 1.0:
                    for j in range(nfeat):
                        abar[j] = 0.0
                    adiv = wdiv; wfrac = 1.0
                    ab = b
                else:
                    adiv = adiv / (1.0 - mu)
                    wfrac = wfrac + mu * adiv / wdiv
                    ab = ab + mu * (b - ab)
            if wdiv > 1e6:
                for j in range(nfeat):
                    v[j] = v[j] / wdiv
                wfrac = wfrac * wdiv
                wdiv = 1.0
            if adiv > 1e9:
                for j in range(nfeat):
                    abar[j] = abar[j] / adiv
                wfrac = wfrac / adiv
                adiv = 1.0
            t += 1
    w = v / wdiv
    a = (abar + wfrac * v) / adiv
    if avg_start >= t:
        a = w.copy(); ab = b
    return w, b, a, ab

def fit(Z, y01, cfg):
    Z = Z.tocsr(); y = np.where(y01 == 1, 1.0, -1.0)
    w, b, a, ab = _asgd_drop(Z.indptr.astype(np.int64), Z.indices.astype(np.int64), Z.data.astype(np.float64),
                             y, Z.shape[1], cfg.get("lam", 3e-6), cfg.get("eta0", 3.0), cfg.get("epochs", 10),
                             int(cfg.get("avg_start", 1.0) * Z.shape[0]), np.uint64(42), cfg.get("power", 0.75),
                             cfg.get("drop", 0.0), np.uint64(7))
    return a, ab

def feat_scale(Xa, ya, cfg):
    """returns per-column scale r (0 = column dropped)"""
    Xb = Xa.copy(); Xb.data[:] = 1.0
    df = np.asarray(Xb.sum(0)).ravel()
    src = Xb if cfg.get("nbsrc", "bin") == "bin" else Xa
    al = cfg.get("nb_alpha", 1.0)
    p = al + np.asarray(src[ya == 1].sum(0)).ravel(); q = al + np.asarray(src[ya == 0].sum(0)).ravel()
    rnb = np.log(p / p.sum()) - np.log(q / q.sum())
    kind = cfg.get("scale", "nb")
    if kind == "nb": r = rnb
    elif kind == "nbpow": r = np.sign(rnb) * np.abs(rnb) ** cfg["pw"]
    elif kind == "idf": r = np.log((1 + Xa.shape[0]) / (1 + df)) + 1.0
    elif kind == "one": r = np.ones_like(rnb)
    r[df < cfg.get("min_df", 3)] = 0.0
    return r, rnb

def transform(X, cfg):
    tf = cfg.get("tf", "bin")
    X = X.copy()
    if tf == "bin": X.data[:] = 1.0
    elif tf == "log1p": X.data = np.log1p(X.data)
    elif tf == "sqrt": X.data = np.sqrt(X.data)
    return X

def run(X, y, name, cfg):
    t0 = time.time()
    scores = np.zeros(NTR); nbs = np.zeros(NTR); accs = []; nnz = []; wbar = []
    Xt = X[:NTR]
    for tr, va in FOLDS:
        Xa = Xt[tr]; ya = y[:NTR][tr]
        r, rnb = feat_scale(Xa, ya, cfg)
        Za = scale_rows(transform(Xa, cfg), r, l2=cfg.get("l2", True))
        w, b = fit(Za, ya, cfg)
        Zv = scale_rows(transform(Xt[va], cfg), r, l2=cfg.get("l2", True))
        s = Zv @ w + b
        scores[va] = s
        # plain NB-score on the same columns (for NBSVM interpolation): sum of x_j (normalised), i.e. w = const
        nbs[va] = np.asarray(Zv.sum(1)).ravel()
        accs.append(float(((s > 0) == (y[:NTR][va] == 1)).mean()))
        nz = w[r != 0]; nnz.append(int((w != 0).sum())); wbar.append(float(np.abs(nz).mean()))
    np.save(f"scores/{name}.npy", scores); np.save(f"scores/{name}_sumx.npy", nbs)
    np.save(f"scores/{name}_wbar.npy", np.array(wbar))
    res = dict(name=name, cfg=cfg, cv_acc=round(float(np.mean(accs)), 5), folds=[round(a, 4) for a in accs],
               s=round(time.time() - t0, 1), nnz_w=int(np.mean(nnz)))
    print(json.dumps(res), flush=True)
    with open("exp_results.jsonl", "a") as f: f.write(json.dumps(res) + "\n")

if __name__ == "__main__":
    import pandas as pd
    y = pd.read_csv(DATA, compression="gzip", encoding="utf-8")["sentiment"].to_numpy().astype(np.int8)
    np.save("scores/y.npy", y[:NTR])
    src = sys.argv[1]
    X = sp.load_npz(src).tocsr()
    for line in sys.argv[2:]:
        name, c = line.split("=", 1)
        run(X, y, name, json.loads(c))
