"""The word asset of the tone model: static word vectors and a propagated valence lexicon.

``analysis/data/tone_words.npz`` holds four arrays (no pickle, so ``np.load`` runs no
code): ``table_words`` and ``table_vecs`` (30,000 frequent English words, 64-d
float16 vectors) and ``valence_words`` and ``valence`` (5,499 words with a valence in
-1..1: VADER's own, or predicted from the word's vector for words VADER lacks). It is
built once by ``tools/build_tone_words.py`` from the input embeddings of
all-MiniLM-L6-v2 and wordfreq's word list (provenance in the README, Stance); training
reads it like its data, so neither torch nor the MiniLM package is ever needed.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path

import numpy as np

from analysis.errors import InputError

WORDS_FILE = "tone_words.npz"
_ARRAYS = ("table_words", "table_vecs", "valence_words", "valence")


@dataclass(frozen=True)
class WordAssets:
    """The arrays of a word asset file, its bytes' sha256 and where it came from."""

    table_words: np.ndarray
    table_vecs: np.ndarray
    valence_words: np.ndarray
    valence: np.ndarray
    sha256: str
    source: str

    @cached_property
    def table(self) -> dict[str, np.ndarray]:
        """Word -> vector (float64), for the vector features."""
        vecs = np.asarray(self.table_vecs, dtype=np.float64)
        return dict(zip(self.table_words.tolist(), vecs, strict=True))

    @cached_property
    def valences(self) -> dict[str, float]:
        """Word -> propagated valence, for the lexicon features."""
        values = np.asarray(self.valence, dtype=np.float64).tolist()
        return dict(zip(self.valence_words.tolist(), values, strict=True))

    @property
    def dim(self) -> int:
        return int(self.table_vecs.shape[1])


def packaged_words_path() -> Path:
    """Path of the shipped word asset, ``analysis/data/tone_words.npz``."""
    return Path(str(resources.files("analysis").joinpath("data", WORDS_FILE)))


def load_words(path: str | Path | None = None) -> WordAssets:
    """Read a word asset (default: the shipped one) with ``allow_pickle=False``.

    Raises
    ------
    InputError
        Naming the file when it is missing, not an NPZ of plain arrays, or lacks an array.
    """
    path = Path(path) if path is not None else packaged_words_path()
    try:
        data = path.read_bytes()
        with np.load(io.BytesIO(data), allow_pickle=False) as z:
            arrays = {k: z[k] for k in _ARRAYS}
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        raise InputError(path, f"is not a tone-model word asset ({exc})") from None
    return WordAssets(**arrays, sha256=hashlib.sha256(data).hexdigest(), source=str(path))


def write_npz(path: str | Path, arrays: dict[str, np.ndarray]) -> None:
    """Write an ``np.load``-able NPZ with fixed zip timestamps: equal arrays, equal bytes.

    Arrays are stored in name order with ``allow_pickle=False``, so an object array
    is refused rather than pickled.
    """
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(arrays):
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.ascontiguousarray(arrays[name]), allow_pickle=False)
            info = zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, buf.getvalue(), compresslevel=9)
