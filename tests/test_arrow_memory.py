"""Blocks that allocate much Arrow memory take it from malloc, and give the pool back."""

from __future__ import annotations

import json

import pyarrow as pa
import pytest

from analysis.report.arrow_memory import system_memory
from analysis.run import cache as cache_module
from analysis.run.cache import DocumentCache


@pytest.fixture(autouse=True)
def _mimalloc():
    """pyarrow's own default, as in a notebook (the test process may have another)."""
    previous = pa.default_memory_pool()
    pa.set_memory_pool(pa.mimalloc_memory_pool())
    yield
    pa.set_memory_pool(previous)


def test_the_block_uses_malloc_and_restores_the_pool_even_on_error():
    assert pa.default_memory_pool().backend_name == "mimalloc"
    with pytest.raises(RuntimeError), system_memory():
        assert pa.default_memory_pool().backend_name == "system"
        raise RuntimeError
    assert pa.default_memory_pool().backend_name == "mimalloc"


def test_the_cache_reads_and_writes_with_malloc(tmp_path, monkeypatch):
    seen = []

    def spy(*args, **kwargs):
        seen.append(pa.default_memory_pool().backend_name)
        return real(*args, **kwargs)

    real = cache_module._read_table
    monkeypatch.setattr(cache_module, "_read_table", spy)
    keys = {"gt-1": DocumentCache.key("1" * 64, lexicon_sha256="b" * 64, version="v")}
    cache = DocumentCache(tmp_path)
    table = pa.table({"doc_id": ["gt-1"], "n": [1]}).to_pandas()
    writes = []
    real_write = cache_module._write_table
    monkeypatch.setattr(
        cache_module,
        "_write_table",
        lambda *a: writes.append(pa.default_memory_pool().backend_name) or real_write(*a),
    )
    cache.store(keys, {"terms": table})
    assert cache.load(keys, ["terms"])[1] == {"gt-1"}
    assert seen == ["system"] and writes == ["system"]
    assert pa.default_memory_pool().backend_name == "mimalloc"
    assert json.loads((tmp_path / "current" / "meta.json").read_text())["documents"] == keys
