"""A corpus read from an fsspec URL gives the same documents and tables as the same files on disk.

fsspec's in-memory filesystem (``memory://``) stands in for object storage: the
loader reaches it through the same ``UPath`` calls it would make for ``s3://``.
"""

from __future__ import annotations

import uuid

import pandas as pd
import pytest

from analysis import config
from analysis.corpus.loader import load_corpus
from analysis.errors import InputError, InputErrors
from analysis.run import stamp, workspace

fsspec = pytest.importorskip("fsspec")
pytest.importorskip("upath")


@pytest.fixture
def memory_corpus():
    """The seed corpus copied into a fresh memory:// folder; yields its URL."""
    fs = fsspec.filesystem("memory")
    name = f"seeds-{uuid.uuid4().hex}"
    for path in sorted(config.SEEDS_DIR.iterdir()):
        if path.is_file():
            fs.pipe(f"/{name}/{path.name}", path.read_bytes())
    yield f"memory://{name}"
    fs.rm(f"/{name}", recursive=True)


def test_documents_read_from_a_url_equal_the_local_ones(memory_corpus):
    remote, local = load_corpus(memory_corpus), load_corpus(config.SEEDS_DIR)
    assert remote.event == local.event
    assert str(remote.documents[0].path).startswith("memory://")
    fields = ("doc_id", "title", "date", "phase", "raw", "text", "sha256", "paragraphs")
    for r, lo in zip(remote.documents, local.documents, strict=True):
        assert {f: getattr(r, f) for f in fields} == {f: getattr(lo, f) for f in fields}


def test_every_table_from_a_url_equals_the_local_run(memory_corpus):
    remote = workspace.build(memory_corpus, jobs=1, cache_dir=None)
    local = workspace.build(config.SEEDS_DIR, jobs=1, cache_dir=None)
    assert remote.tables.keys() == local.tables.keys()
    for name, table in local.tables.items():
        pd.testing.assert_frame_equal(remote.tables[name], table, obj=name)


def test_the_stamp_key_depends_on_the_files_not_where_they_are(memory_corpus):
    assert stamp.report_key(memory_corpus, None, {}) == stamp.report_key(config.SEEDS_DIR, None, {})


def test_a_bad_file_in_a_url_corpus_is_named_by_its_url(memory_corpus):
    fsspec.filesystem("memory").pipe(f"{memory_corpus}/notes.pdf", b"%PDF")
    with pytest.raises(InputErrors) as err:
        load_corpus(memory_corpus)
    assert f"{memory_corpus}/notes.pdf: is not a .txt article" in str(err.value)


def test_an_unknown_protocol_is_a_clear_input_error():
    with pytest.raises(InputError, match=r"^nosuchfs://x: is a URL fsspec cannot open"):
        config.corpus_dir("nosuchfs://x")


def test_outputs_cannot_go_to_a_url():
    with pytest.raises(InputError, match="local or mounted folder"):
        config.out_dir("memory://reports")
