"""The dataset card's length statistics (pipeline/token_stats.py)."""
from pipeline.manifest import _grid, dataset_card
from pipeline.token_stats import lexical_tokens, percentiles, token_stats


def test_lexical_tokens_count_words_and_punctuation():
    assert lexical_tokens("def f(x): return x+1") == 10
    assert lexical_tokens("") == 0 and lexical_tokens(None) == 0


def test_percentiles_nearest_rank():
    assert percentiles(list(range(1, 11))) == {"p50": 5, "p90": 9, "max": 10}
    assert percentiles([7]) == {"p50": 7, "p90": 7, "max": 7}
    assert percentiles([]) == {}


def test_token_stats_in_the_card():
    rows = [{"system": "a b", "input": "c", "chosen": "x = 1", "rejected": "y"},
            {"system": None, "input": "d e f g", "chosen": "z", "rejected": "w w"}]
    stats = token_stats(rows)
    assert stats["prompt"] == {"p50": 3, "p90": 4, "max": 4}
    assert stats["chosen"]["max"] == 3 and stats["system"]["p50"] == 0
    manifest = {"run_id": "r", "schema_version": 1, "options": {}, "durations_s": {}, "by_criterion_language": _grid([]),
                "dead_letters": {"total": 0}, "stages": {},
                "splits": {"train": {"pairs": 2, "by_source": {}, "token_stats": stats},
                           "bench": {"pairs": 0, "by_source": {}, "token_stats": token_stats([])}}}
    card = dataset_card(manifest)
    assert "| train | prompt | 3 | 4 | 4 |" in card and "| bench | prompt" not in card
