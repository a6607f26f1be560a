"""Decoder reward-model options (``--likelihood``, ``--pooling response_mean``, ``--criterion-heads``):
the feature, the pooling, both batch layouts, a frozen backbone, and the export that the
evaluator scores with (tiny random Qwen3, CPU)."""
import json
import os

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import torch

from training import config, reward_model, scoring, shards, synthetic
from training.batching import collate, encode_table
from training.packing import pack
from training.train import load_tokenizer, run


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    root = tmp_path_factory.mktemp("likelihood")
    synthetic.write_shards(str(root / "train"), "train", 24, seed=1, max_filler=4)
    synthetic.tiny_decoder_on_rows(str(root / "tiny"))
    return root


def _model(tiny, **kw):
    tok = load_tokenizer(str(tiny / "tiny"))
    model = reward_model.build(str(tiny / "tiny"), "decoder", tok.pad_token_id, len(tok), False, likelihood=True, **kw)
    pairs, _ = encode_table(tok, shards.read([str(tiny / "train")]).slice(0, 4), 128)
    return model.eval(), tok, pairs


def _weights(model, values):
    with torch.no_grad():
        model.likelihood_weight.copy_(torch.tensor(values, dtype=torch.float32))


def test_the_feature_is_the_mean_log_probability_of_the_response_tokens_weighed_per_criterion(tiny):
    model, tok, pairs = _model(tiny, likelihood_scale=2.0)
    batch = collate(pairs, tok.pad_token_id, with_response_mask=True)
    assert sorted({p.criterion for p in pairs}) == sorted(set(batch["criterion"].tolist())) and min(batch["criterion"]) >= 0
    with torch.no_grad():
        assert not model(**batch)[0].any()  # zero head, zero weights: every pair starts at margin 0
        weights = [0.5, -1.0, 2.0, 0.25, -0.5]
        _weights(model, weights)
        rewards, _ = model(**batch)
        logits = model.lm(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits
    sides = [p.chosen for p in pairs] + [p.rejected for p in pairs]
    for row, enc in enumerate(sides):
        lp = torch.log_softmax(logits[row].float(), -1)
        targets = range(enc.response_start, enc.response_end)
        mean = sum(lp[t - 1, batch["input_ids"][row, t]] for t in targets) / len(targets)
        # The head is zero: the reward is the feature alone, times the row's criterion weight and the scale.
        expected = weights[int(batch["criterion"][row])] * 2.0 * mean
        torch.testing.assert_close(rewards[row], expected, rtol=1e-4, atol=1e-4)
    assert len({round(float(r), 4) for r in rewards}) > 1


@pytest.mark.parametrize("options", [{}, {"pooling": "response_mean", "criterion_heads": True}])
def test_packed_rows_give_the_padded_rewards(tiny, options):
    model, tok, pairs = _model(tiny, likelihood_scale=0.7, **options)
    _weights(model, [1.0, -1.0, 0.5, 2.0, 1.5])
    with torch.no_grad():
        torch.nn.init.normal_(model.score.weight, std=0.05)
        padded, _ = model(**collate(pairs, tok.pad_token_id, with_response_mask=True))
        p = pack(pairs, tok.pad_token_id, multiple_of=8, with_responses=True)
        from training.packing import dense_mask
        packed, _ = model(p.input_ids, dense_mask(p.doc_ids), position_ids=p.position_ids, last_index=p.last_index,
                          resp_index=p.resp_index, resp_labels=p.resp_labels, resp_seq=p.resp_seq,
                          criterion=p.criterion)
    torch.testing.assert_close(packed, padded, rtol=1e-4, atol=1e-4)


def test_without_response_positions_the_model_refuses(tiny):
    model, tok, pairs = _model(tiny)
    with pytest.raises(ValueError, match="response_mask"):
        model(**collate(pairs, tok.pad_token_id))
    batch = collate(pairs, tok.pad_token_id, with_response_mask=True)
    batch["criterion"][0] = -1  # a row without a criterion
    with pytest.raises(ValueError, match="criterion"):
        model(**batch)
    for option in ({"likelihood": True}, {"criterion_heads": True}, {"pooling": "response_mean"}):
        with pytest.raises(ValueError, match="decoder kind"):
            reward_model.build(str(tiny / "tiny"), "seqcls", tok.pad_token_id, len(tok), False, **option)


def test_frozen_backbone_trains_the_head_and_the_weight_only_and_the_export_scores_as_trained(tiny):
    out = tiny / "frozen"
    before = {k: v.clone() for k, v in _model(tiny)[0].lm.state_dict().items()}
    cfg = config.from_cli(["--train", str(tiny / "train"), "--model", str(tiny / "tiny"), "--output", str(out),
                           "--batch-size", "2", "--max-steps", "6", "--lr", "1e-2", "--max-length", "128",
                           "--likelihood", "--likelihood-scale", "0.5", "--pooling", "response_mean",
                           "--criterion-heads", "--freeze-backbone", "--cpu"])
    run(cfg)
    model_dir = out / "model"
    head = json.loads((model_dir / reward_model.HEAD_FILE).read_text())
    assert head["likelihood_scale"] == 0.5 and head["criteria"] == ["fc", "ee", "me", "rm", "sh"]
    assert head["pooling"] == "response_mean" and head["criterion_heads"] and len(head["score_weight"]) == 5
    assert any(head["likelihood_weight"]) and any(any(row) for row in head["score_weight"])
    scorer, tok = scoring.load(str(model_dir), torch.device("cpu"))
    assert isinstance(scorer, reward_model.DecoderRewardScorer)
    # The backbone and LM head are exactly the loaded ones; only the head and the weight moved.
    after = scorer.rm.lm.state_dict()
    assert before.keys() <= after.keys() | {"lm_head.weight"}
    for k, v in before.items():
        if k in after and k != "model.embed_tokens.weight":  # grown by the added pad token, same values
            assert torch.equal(after[k], v), k

    # The evaluator's scoring path reproduces the trainer's rewards from the same weights.
    model, _, pairs = _model(tiny, likelihood_scale=0.5, pooling="response_mean", criterion_heads=True)
    with torch.no_grad():
        model.score.weight.copy_(torch.tensor(head["score_weight"]))
        model.likelihood_weight.copy_(torch.tensor(head["likelihood_weight"]))
        ours, _ = model(**collate(pairs, tok.pad_token_id, with_response_mask=True))
    encoded = [p.chosen for p in pairs] + [p.rejected for p in pairs]
    criteria = [p.criterion for p in pairs] * 2
    theirs = scoring.score_encoded(scorer, encoded, 3, torch.device("cpu"), criteria)
    with pytest.raises(ValueError, match="criterion"):
        scoring.score_encoded(scorer, encoded, 3, torch.device("cpu"))
    torch.testing.assert_close(torch.tensor(theirs, dtype=torch.float32), ours, rtol=1e-4, atol=1e-4)
    assert os.path.isfile(model_dir / "model.safetensors")

    # The evaluator's command line scores the exported model: every pair, each at its own criterion,
    # and re-ranks candidates (as fc).
    from training import evaluate
    results = evaluate.main(["--model", str(model_dir), "--data", str(tiny / "train"), "--output", str(out / "eval"),
                             "--max-length", "128", "--cpu"])
    assert results["overall"]["total_examples"] == 24 and len(results["by_aspect"]) >= 2
    candidates = tiny / "candidates.parquet"
    pq.write_table(pa.table({"problem_id": ["p", "p"], "code": ["x = 1", "y = 2"], "pass_rate": [1.0, 0.0]}), candidates)
    ranked = evaluate.main(["--model", str(model_dir), "--rerank", str(candidates), "--output", str(out / "rerank"),
                            "--max-length", "128", "--cpu"])
    assert ranked["problems"] == 1


def test_response_mean_pooling_and_criterion_heads(tiny):
    tok = load_tokenizer(str(tiny / "tiny"))
    model = reward_model.build(str(tiny / "tiny"), "decoder", tok.pad_token_id, len(tok), False,
                               pooling="response_mean", criterion_heads=True).eval()
    pairs, _ = encode_table(tok, shards.read([str(tiny / "train")]).slice(0, 4), 128)
    batch = collate(pairs, tok.pad_token_id, with_response_mask=True)
    with torch.no_grad():
        torch.nn.init.normal_(model.score.weight, std=0.1)
        rewards, _ = model(**batch)
        hidden = model.lm.model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).last_hidden_state
    sides = [p.chosen for p in pairs] + [p.rejected for p in pairs]
    for row, enc in enumerate(sides):
        pooled = hidden[row, enc.response_start:enc.response_end].mean(0)
        expected = pooled @ model.score.weight[int(batch["criterion"][row])]
        torch.testing.assert_close(rewards[row], expected, rtol=1e-4, atol=1e-4)
    assert model.reads_responses and not model.standard_export
