"""Round 3 (model-variant-3.md): full word trigrams as a separate hashed block beside the
uni+bigram block, each block with its own min_df, NB-from-counts scaling, log1p TF, L2 over the
concatenated row, ASGD with feature dropout (exp._asgd_drop).

  scripts/model-research.sh exp3.py build [TOK ...]        # tokens + count matrices into the cache
  scripts/model-research.sh exp3.py cv NAME='{json cfg}' ...  # 3-fold CV in rows 0..44,999

Count matrices (cache): X12_<tok>.npz  uni+bigrams, MurmurHash3 (sklearn FeatureHasher) mod 2^22
                        X3_<tok>_<bits>.npz  word trigrams "a b c", same hash, mod 2^bits
The trigram block's columns are offset after the 2^22 uni+bigram columns ("block" mode), or
summed into the same 2^22 columns ("shared" mode, one min_df for all).

cfg keys: tok (simple_neg), tri (bool, default true), tri_bits (22), mode (block|shared),
  min_df (3, uni+bi), min_df3 (trigrams), alpha (2), alpha3 (=alpha), tri_w (1.0, block weight on
  the trigram x before L2), lam (3e-6), eta0 (3), power (.75), epochs (20), drop (.5),
  tf (log1p|bin).
"""
import sys, json, time, pickle
from common import *
from common import _TAG, _TOK
from exp import _asgd_drop
from sklearn.model_selection import KFold

def tok_neg_punct(text, keep="!?"):
    """simple_neg, but the punctuation marks in `keep` are also emitted as tokens (they still end
    the negation scope, and are never not_-prefixed)."""
    text = _TAG.sub(" ", text)
    out = []; negating = False
    for m in _TOK.finditer(text):
        t = m.group(0); c = t[0]
        if c in ":;=" and len(t) > 1:
            out.append(t.replace("-", "")); negating = False; continue
        if c in PUNCT:
            if c in keep: out.append(c)
            negating = False; continue
        t = t.lower()
        out.append("not_" + t if negating else t)
        if t in NEG or t.endswith("n't"): negating = True
    return out

TOKENIZERS["simple_neg_p"] = lambda t: tok_neg_punct(t)
TOKENIZERS["simple_neg_pall"] = lambda t: tok_neg_punct(t, keep=".,!?;:()")

NTR = 45000
FOLDS = list(KFold(3, shuffle=True, random_state=0).split(np.arange(NTR)))


def _hash(gen, bits):
    fh = FeatureHasher(n_features=2 ** bits, input_type="string", alternate_sign=False, dtype=np.float64)
    X = fh.transform(gen).tocsr(); X.sum_duplicates(); X.sort_indices()
    return X


def build(tok, texts):
    t0 = time.time()
    toks = tokens_cached(tok, texts)
    t1 = time.time()
    p12 = os.path.join(CACHE, f"X12_{tok}.npz")
    if not os.path.exists(p12):
        X = _hash(([*t, *(t[i] + " " + t[i + 1] for i in range(len(t) - 1))] for t in toks), 22)
        sp.save_npz(p12, X, compressed=False)
    t2 = time.time()
    p3 = os.path.join(CACHE, f"X3_{tok}_22.npz")
    if not os.path.exists(p3):
        X3 = _hash(([t[i] + " " + t[i + 1] + " " + t[i + 2] for i in range(len(t) - 2)] for t in toks), 22)
        sp.save_npz(p3, X3, compressed=False)
    ntok = np.array([len(t) for t in toks])
    print(json.dumps(dict(tok=tok, tok_s=round(t1 - t0, 1), h12_s=round(t2 - t1, 1), h3_s=round(time.time() - t2, 1),
                          tokens_per_review=float(ntok.mean()),
                          uni_bi_feats=float((2 * ntok - 1).clip(0).mean()),
                          tri_feats=float((ntok - 2).clip(0).mean()))), flush=True)


_MATS = {}
def mats(tok, bits=22):
    k = (tok, bits)
    if k not in _MATS:
        # "a+b": the n-gram counts of two token views summed in the same hashed columns
        X12 = sum(sp.load_npz(os.path.join(CACHE, f"X12_{t}.npz")).tocsr() for t in tok.split("+"))
        X3 = sum(sp.load_npz(os.path.join(CACHE, f"X3_{t}_{bits}.npz")).tocsr() for t in tok.split("+"))
        X12.sort_indices(); X3.sort_indices()
        _MATS[k] = (X12, X3)
    return _MATS[k]


def nb_r(Xa, ya, alpha, min_df):
    """r from raw counts (alpha on every column of the block), r=0 where df < min_df."""
    pos = ya == 1
    p = alpha + np.asarray(Xa[pos].sum(0)).ravel()
    q = alpha + np.asarray(Xa[~pos].sum(0)).ravel()
    r = np.log(p / p.sum()) - np.log(q / q.sum())
    df = np.bincount(Xa.indices, minlength=Xa.shape[1])  # counts > 0 are the stored entries
    r[df < min_df] = 0.0
    return r


def tfm(X, cfg):
    X = X.copy()
    if cfg.get("tf", "log1p") == "log1p": X.data = np.log1p(X.data)
    else: X.data[:] = 1.0
    return X


class Model:
    """Frozen per-training-set statistics: block scales, the kept-column map."""
    def __init__(self, X12a, X3a, ya, cfg):
        self.cfg = cfg
        al = cfg.get("alpha", 2.0)
        self.tri = cfg.get("tri", True)
        self.mode = cfg.get("mode", "block")
        if not self.tri:
            self.r = nb_r(X12a, ya, al, cfg.get("min_df", 3))
        elif self.mode == "shared":
            self.r = nb_r(X12a + X3a, ya, al, cfg.get("min_df", 3))
        else:
            r12 = nb_r(X12a, ya, al, cfg.get("min_df", 3))
            r3 = nb_r(X3a, ya, cfg.get("alpha3", al), cfg.get("min_df3", 3)) * cfg.get("tri_w", 1.0)
            self.r = np.concatenate([r12, r3])
        self.keep = np.flatnonzero(self.r != 0)
        self.remap = np.full(self.r.shape[0], -1, np.int64); self.remap[self.keep] = np.arange(self.keep.size)

    def Z(self, X12, X3):
        cfg = self.cfg
        if not self.tri: X = tfm(X12, cfg)
        elif self.mode == "shared": X = tfm(X12 + X3, cfg)
        else: X = sp.hstack([tfm(X12, cfg), tfm(X3, cfg)], format="csr")
        Z = (X @ sp.diags(self.r)).tocsr(); Z.eliminate_zeros()
        nrm = np.sqrt(np.asarray(Z.multiply(Z).sum(1)).ravel()); nrm[nrm == 0] = 1.0
        Z = (sp.diags(1.0 / nrm) @ Z).tocsr()
        Z = sp.csr_matrix((Z.data, self.remap[Z.indices], Z.indptr), shape=(Z.shape[0], self.keep.size))
        Z.sort_indices()
        return Z

    def fit(self, Z, ya):
        cfg = self.cfg; y = np.where(ya == 1, 1.0, -1.0)
        w, b, a, ab = _asgd_drop(Z.indptr.astype(np.int64), Z.indices.astype(np.int64), Z.data.astype(np.float64),
                                 y, Z.shape[1], cfg.get("lam", 3e-6), cfg.get("eta0", 3.0), cfg.get("epochs", 20),
                                 int(cfg.get("avg_start", 1.0) * Z.shape[0]), np.uint64(42), cfg.get("power", 0.75),
                                 cfg.get("drop", 0.5), np.uint64(7))
        self.w, self.b = a, ab
        return a, ab


def cv(name, cfg, y):
    t0 = time.time()
    X12, X3 = mats(cfg.get("tok", "simple_neg"), cfg.get("tri_bits", 22))
    X12 = X12[:NTR]; X3 = X3[:NTR]
    scores = np.zeros(NTR); accs = []; stored = []; nzr = []; n3 = []; tfit = 0.0
    for tr, va in FOLDS:
        ya = y[tr]
        m = Model(X12[tr], X3[tr], ya, cfg)
        Za = m.Z(X12[tr], X3[tr])
        t1 = time.time(); w, b = m.fit(Za, ya); tfit += time.time() - t1
        s = m.Z(X12[va], X3[va]) @ w + b
        scores[va] = s
        accs.append(float(((s > 0) == (y[va] == 1)).mean()))
        stored.append(int(m.keep.size)); nzr.append(Za.nnz / Za.shape[0])
        n3.append(int((m.keep >= 2 ** 22).sum()) if m.mode == "block" else 0)
    np.save(os.path.join(CACHE, "scores", f"{name}.npy"), scores)
    res = dict(name=name, cfg=cfg, cv_acc=round(float(np.mean(accs)), 5), folds=[round(a, 4) for a in accs],
               stored_per_fold=int(np.mean(stored)), tri_stored_per_fold=int(np.mean(n3)),
               nnz_per_row=round(float(np.mean(nzr)), 1), fit_s=round(tfit, 1), s=round(time.time() - t0, 1))
    print(json.dumps(res), flush=True)
    with open(os.path.join(CACHE, "exp3_results.jsonl"), "a") as f: f.write(json.dumps(res) + "\n")


if __name__ == "__main__":
    if sys.argv[1] == "build":
        texts, _ = load()
        for tok in (sys.argv[2:] or ["simple_neg"]):
            build(tok, texts)
    elif sys.argv[1] == "cv":
        y = pd.read_csv(DATA, compression="gzip", encoding="utf-8")["sentiment"].to_numpy().astype(np.int8)[:NTR]
        np.save(os.path.join(CACHE, "scores", "y.npy"), y)
        for arg in sys.argv[2:]:
            name, c = arg.split("=", 1)
            cv(name, json.loads(c), y)
