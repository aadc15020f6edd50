"""The tone model as plain data: ``tone_model.json``, ``tone_model.npz``, ``tone_words.npz``.

:func:`save` writes a fitted :class:`~analysis.stance.tone_model.ToneClassifier` to a
folder and :func:`load` reads it back. The JSON holds the parameters and the word
lists (vocabulary, VADER words, stop words) and names the word asset with its
sha256; the NPZ holds the numeric arrays. Nothing is pickled: the JSON is read by
:mod:`json` and both NPZ files by ``np.load(..., allow_pickle=False)``, so loading a
model runs no code from it. The shipped model lives in ``analysis/data/``;
:func:`packaged_model` loads it once per process.
"""

from __future__ import annotations

import io
import json
import zipfile
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np

from analysis.errors import InputError
from analysis.stance.tone_model import CLASSES, ToneClassifier
from analysis.stance.tone_words import WORDS_FILE, load_words, write_npz

MODEL_JSON = "tone_model.json"
MODEL_NPZ = "tone_model.npz"
FORMAT_VERSION = 2
_ARRAYS = (
    "idf",
    "dense_mean",
    "dense_scale",
    "coef_sparse",
    "coef_dense",
    "intercept",
    "lexicon_values",
)


def packaged_model_dir() -> Path:
    """The folder of the shipped model, ``analysis/data/``."""
    return Path(str(resources.files("analysis").joinpath("data")))


def save(model: ToneClassifier, directory: str | Path) -> list[Path]:
    """Write *model* to *directory*: its JSON, its NPZ and a copy of its word asset.

    Returns
    -------
    list of Path
        The three files, which depend only on the model (same model, same bytes).
    """
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    meta = {
        "format_version": FORMAT_VERSION,
        "classes": list(CLASSES),
        "params": model.get_params(),
        "words": {"file": WORDS_FILE, "sha256": model.words_.sha256},
        "vocabulary": list(model.vocabulary_),
        "lexicon_words": list(model.lexicon_words_),
        "stopwords": list(model.stopwords_),
    }
    json_path, npz_path, words_path = d / MODEL_JSON, d / MODEL_NPZ, d / WORDS_FILE
    json_path.write_text(
        json.dumps(meta, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    write_npz(npz_path, {k: np.asarray(getattr(model, k + "_")) for k in _ARRAYS})
    source = Path(model.words_.source)
    if not words_path.exists() or words_path.resolve() != source.resolve():
        words_path.write_bytes(source.read_bytes())
    return [json_path, npz_path, words_path]


def load(directory: str | Path | None = None) -> ToneClassifier:
    """Read a model written by :func:`save` (default: the shipped one).

    Raises
    ------
    InputError
        Naming the file that is missing or unreadable, of another format version, or
        (for the word asset) not the one the model was trained with.
    """
    d = Path(directory) if directory is not None else packaged_model_dir()
    json_path, npz_path = d / MODEL_JSON, d / MODEL_NPZ
    try:
        meta = json.loads(json_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(json_path, f"cannot be read as a tone model ({exc})") from None
    if not isinstance(meta, dict) or meta.get("format_version") != FORMAT_VERSION:
        version = meta.get("format_version") if isinstance(meta, dict) else None
        raise InputError(
            json_path, f"is tone-model format {version!r}; this code reads {FORMAT_VERSION}"
        )
    try:
        with np.load(io.BytesIO(npz_path.read_bytes()), allow_pickle=False) as z:
            arrays = {k: z[k] for k in _ARRAYS}
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        raise InputError(npz_path, f"cannot be read as tone-model arrays ({exc})") from None
    words = load_words(d / meta["words"]["file"])
    if words.sha256 != meta["words"]["sha256"]:
        raise InputError(
            words.source,
            f"is not the word asset {json_path.name} was trained with (sha256 differs)",
        )
    model = ToneClassifier(**meta["params"])
    model.vocabulary_ = meta["vocabulary"]
    model.lexicon_words_ = meta["lexicon_words"]
    model.stopwords_ = meta["stopwords"]
    model.words_ = words
    for k, v in arrays.items():
        setattr(model, k + "_", v)
    model._prepare()
    return model


@cache
def packaged_model() -> ToneClassifier:
    """The shipped model, loaded once per process."""
    return load()
