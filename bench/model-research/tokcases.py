"""Writes tokenizer-cases.jsonl: text -> tokens (tok_simple with negation), plus the hashed
column of each token / bigram (MurmurHash3 x86_32 seed 0 on UTF-8 bytes, abs(h) % 2**22)."""
import json
from common import tok_simple, ngrams, load
from sklearn.utils import murmurhash3_32
texts, y = load()
cases = [
    "This movie was great!<br /><br />I loved it :) and my kids did too :-D",
    "I didn't like it. The acting wasn't good, but the music was fine.",
    "NOT worth your time; never again... Seriously :(",
    "It's no masterpiece, nor is it terrible (I'd give it 6/10).",
    "Rock'n'roll isn't dead: the '80s band's reunion works.",
    "Café society in Zürich — naïve but charming; 10/10 ;P",
    "He said \"I can't stand this\" and left; I cannot blame him.",
    "<i>Terrible</i> plot,nothing happens;=) nobody cares",
    "Don't miss it!!! Absolutely wonderful, not boring at all.",
    texts[2][:300],
]
with open("tokenizer-cases.jsonl", "w", encoding="utf-8") as f:
    for t in cases:
        toks = tok_simple(t, neg=True)
        feats = ngrams(toks, 2)
        def col(s):
            h = murmurhash3_32(s.encode("utf-8"), seed=0, positive=False)
            return (2147483647 - (2**22 - 1)) % 2**22 if h == -2147483648 else abs(h) % 2**22
        f.write(json.dumps(dict(text=t, tokens=toks, features=feats, columns=[col(s) for s in feats]),
                           ensure_ascii=False) + "\n")
        print(json.dumps(t, ensure_ascii=False)); print("  ->", toks)
