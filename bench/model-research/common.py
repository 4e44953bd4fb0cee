"""Shared code: data loading, tokenizers, hashing, NB scaling, ASGD (numba)."""
import os, re, gzip, time, pickle
os.environ.setdefault("OMP_NUM_THREADS", "1"); os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("NUMBA_NUM_THREADS", "1")
import numpy as np, pandas as pd, scipy.sparse as sp
from sklearn.feature_extraction import FeatureHasher
from numba import njit

HERE = os.path.dirname(os.path.abspath(__file__))
# Tokens and feature matrices, cached between runs (about 1.3 GB): never in the repository.
CACHE = os.environ.get("MODEL_RESEARCH_CACHE", os.path.join(HERE, "..", "..", ".build", "model-research-cache"))
os.makedirs(CACHE, exist_ok=True)
# The data set: $MOVIECLASSIFIER_DATA, or ../shared/data beside the repository.
DATA_DIR = os.environ.get("MOVIECLASSIFIER_DATA", os.path.join(HERE, "..", "..", "..", "shared", "data"))
DATA = os.path.join(DATA_DIR, "movie_data.csv.gz")
STOP = [l.rstrip("\n") for l in open(os.path.join(DATA_DIR, "stopwords-en.txt"), encoding="utf-8")]
STOPSET = set(STOP)

def load():
    df = pd.read_csv(DATA, compression="gzip", encoding="utf-8")
    return df["review"].tolist(), df["sentiment"].to_numpy().astype(np.int8)

# ---------------- tokenizers ----------------
# book tokenizer (ch08): remove tags, emoticons appended, unicode \W split
_BOOK_TAG = re.compile(r"<[^>]*>"); _EMO = re.compile(r"(?::|;|=)(?:-)?(?:\)|\(|D|P)")
def tok_book(text, stop=False):
    text = _BOOK_TAG.sub("", text)
    emo = _EMO.findall(text)
    text = re.sub(r"[\W]+", " ", text.lower()) + " ".join(emo).replace("-", "")
    t = text.split()
    return [w for w in t if w not in STOPSET] if stop else t

# "simple" tokenizer: ASCII-only, inline emoticons, apostrophes inside words kept
_TAG = re.compile(r"<[^>]*>")
_TOK = re.compile(r"[:;=]-?[()DP]|[A-Za-z0-9]+(?:'[A-Za-z0-9]+)*|[.,!?;:()]")
PUNCT = set(".,!?;:()")
NEG = {"not", "no", "never", "cannot", "nor", "nothing", "nobody", "none", "nowhere", "neither"}
def _lower_ascii(s):
    return s.lower()  # s is pure ASCII here, so str.lower == ASCII A-Z -> a-z
def tok_simple(text, neg=False, stop=False, apos=True, emo=True):
    text = _TAG.sub(" ", text)
    out = []; negating = False
    for m in _TOK.finditer(text):
        t = m.group(0)
        c = t[0]
        if c in ":;=" and len(t) > 1:            # emoticon
            if emo: out.append(t.replace("-", ""))
            negating = False
            continue
        if c in PUNCT:                            # punctuation: ends negation scope, not a token
            negating = False
            continue
        t = _lower_ascii(t)
        if not apos:
            for p in t.split("'"):
                out.append(p)
            continue
        if stop and t in STOPSET:
            continue
        if neg:
            if negating:
                out.append("not_" + t)
            else:
                out.append(t)
            if t in NEG or t.endswith("n't"):
                negating = True
        else:
            out.append(t)
    return out

def ngrams(tokens, n):
    if n == 1: return list(tokens)
    out = list(tokens)
    for k in range(2, n + 1):
        out += [" ".join(tokens[i:i + k]) for i in range(len(tokens) - k + 1)]
    return out

TOKENIZERS = {
    "book": lambda t: tok_book(t),
    "book_stop": lambda t: tok_book(t, stop=True),
    "simple": lambda t: tok_simple(t),
    "simple_stop": lambda t: tok_simple(t, stop=True),
    "simple_neg": lambda t: tok_simple(t, neg=True),
    "simple_noapos": lambda t: tok_simple(t, apos=False),
}

def tokens_cached(name, texts):
    p = os.path.join(CACHE, f"tok_{name}.pkl")
    if os.path.exists(p):
        return pickle.load(open(p, "rb"))
    f = TOKENIZERS[name]; toks = [f(t) for t in texts]
    pickle.dump(toks, open(p, "wb"), protocol=4)
    return toks

def hashed(tokname, texts, n=2, nfeat=2**22, binary=True):
    p = os.path.join(CACHE, f"X_{tokname}_n{n}_{nfeat}_{int(binary)}.npz")
    if os.path.exists(p):
        return sp.load_npz(p)
    toks = tokens_cached(tokname, texts)
    fh = FeatureHasher(n_features=nfeat, input_type="string", alternate_sign=False, dtype=np.float64)
    X = fh.transform(ngrams(t, n) for t in toks).tocsr()
    X.sum_duplicates()
    if binary: X.data[:] = 1.0
    X.sort_indices()
    sp.save_npz(p, X, compressed=False)
    return X

# ---------------- NB scaling ----------------
def nb_ratio(X, y, alpha=1.0, min_df=1):
    """r_j = log((p_j/|p|_1)/(q_j/|q|_1)), p = alpha + sum_{y=1} x, q = alpha + sum_{y=0} x,
    sums over ALL n_features columns; r_j = 0 where df_j < min_df (df over the training rows)."""
    Xb = X.copy(); Xb.data[:] = 1.0
    p = alpha + np.asarray(X[y == 1].sum(0)).ravel()
    q = alpha + np.asarray(X[y == 0].sum(0)).ravel()
    r = np.log(p / p.sum()) - np.log(q / q.sum())
    if min_df > 1:
        df = np.asarray(Xb.sum(0)).ravel()
        r[df < min_df] = 0.0
    return r

def scale_rows(X, r, l2=True):
    Z = X @ sp.diags(r)
    Z = Z.tocsr(); Z.eliminate_zeros()
    if l2:
        nrm = np.sqrt(np.asarray(Z.multiply(Z).sum(1)).ravel()); nrm[nrm == 0] = 1.0
        Z = sp.diags(1.0 / nrm) @ Z
    return Z.tocsr()

# ---------------- deterministic shuffling ----------------
@njit(cache=True)
def splitmix64_perm(n, state):
    """Fisher-Yates with splitmix64. Returns (perm, new_state)."""
    perm = np.arange(n)
    M = np.uint64(0xFFFFFFFFFFFFFFFF)
    for i in range(n - 1, 0, -1):
        state = (state + np.uint64(0x9E3779B97F4A7C15))
        z = state
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
        j = np.int64(z % np.uint64(i + 1))
        t = perm[i]; perm[i] = perm[j]; perm[j] = t
    return perm, state

# ---------------- ASGD for logistic regression ----------------
@njit(cache=True)
def _asgd(indptr, indices, data, y, nfeat, lam, eta0, epochs, avg_start, seed, power):
    """Averaged SGD, logistic loss, labels y in {-1,+1}, objective
       lam/2 |w|^2 + mean log(1+exp(-y(w.x+b))); b unregularised.
       eta_t = eta0 / (1 + lam*eta0*t)^power ; t counts updates from 0.
       Averaging (Polyak-Ruppert) of w and b over updates t >= avg_start.
       w is stored as v / wdiv  (lazy weight decay); a = (abar + wfrac*v)/adiv."""
    n = y.shape[0]
    v = np.zeros(nfeat); abar = np.zeros(nfeat)
    wdiv = 1.0; adiv = 1.0; wfrac = 0.0
    b = 0.0; ab = 0.0
    t = 0
    state = np.uint64(seed)
    for ep in range(epochs):
        perm, state = splitmix64_perm(n, state)
        for k in range(n):
            i = perm[k]
            eta = eta0 / (1.0 + lam * eta0 * t) ** power
            mu = 1.0 / max(1.0, t - avg_start + 1.0) if t >= avg_start else 1.0
            s = 0.0
            for p in range(indptr[i], indptr[i + 1]):
                s += v[indices[p]] * data[p]
            s = s / wdiv + b
            z = y[i] * s
            # d = -dloss/ds * y  for log loss: y * sigmoid(-z)
            if z > 0:
                e = np.exp(-z); g = y[i] * e / (1.0 + e)
            else:
                g = y[i] / (1.0 + np.exp(z))
            # weight decay
            wdiv = wdiv / (1.0 - eta * lam)
            c = eta * g * wdiv
            if c != 0.0:
                for p in range(indptr[i], indptr[i + 1]):
                    v[indices[p]] += c * data[p]
                    if t >= avg_start:
                        abar[indices[p]] -= wfrac * c * data[p]
            b += eta * g
            if t < avg_start:
                # averaging not started: a tracks w exactly
                wfrac = 0.0; adiv = 1.0
            else:
                if mu >= 1.0:
                    # restart average at current w: a = w
                    for j in range(nfeat):
                        abar[j] = 0.0
                    adiv = wdiv; wfrac = 1.0
                    ab = b
                else:
                    adiv = adiv / (1.0 - mu)
                    wfrac = wfrac + mu * adiv / wdiv
                    ab = ab + mu * (b - ab)
            # renormalise (rare; only changes the representation, not w or a)
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

def asgd_fit(X, y01, lam=1e-5, eta0=0.5, epochs=10, avg_start_epochs=1.0, seed=42, power=0.75):
    X = X.tocsr(); y = np.where(y01 == 1, 1.0, -1.0)
    n = X.shape[0]
    w, b, a, ab = _asgd(X.indptr.astype(np.int64), X.indices.astype(np.int64), X.data.astype(np.float64),
                        y, X.shape[1], lam, eta0, epochs, int(avg_start_epochs * n), np.uint64(seed), power)
    return a, ab, w, b

def acc(X, y01, w, b):
    return float(((X @ w + b > 0).astype(np.int8) == y01).mean())
