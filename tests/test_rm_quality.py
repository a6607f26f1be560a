"""bench/rm_quality.py's shortcut rules and tables (no model: the RM column is given)."""
import importlib.util
import os

import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("rm_quality", os.path.join(HERE, "..", "bench", "rm_quality.py"))
rmq = importlib.util.module_from_spec(spec)
spec.loader.exec_module(rmq)


def _frame(rows):
    return pd.DataFrame(rows, columns=["chosen", "rejected", "language", "aspect"])


def test_rules_pick_the_side_with_more_and_ties_count_half():
    py_long = "# add\ndef add(a, b):\n    return a + b\n"
    py_short = "def f(a,b): return a+b"
    assert rmq.rule_credit(rmq.n_chars, py_long, py_short, "python") == 1.0
    assert rmq.rule_credit(rmq.n_lines, py_short, py_long, "python") == 0.0
    assert rmq.rule_credit(rmq.n_comments, py_long, py_short, "python") == 1.0
    assert rmq.rule_credit(rmq.n_comments, "int x; // c", "int y;", "c") == 1.0
    assert rmq.rule_credit(rmq.n_identifiers, "a b", "c d", "go") == 0.5


def test_table_per_criterion_and_the_fitted_peer():
    long, short = "x = alpha + beta  # sum\n" * 3, "x=1"
    train = _frame([[long, short, "Python", "Readability_Maintainability"]] * 3
                   + [[short, long, "Python", "Memory_Efficiency"]] * 3)
    bench = _frame([[long, short, "Python", "Readability_Maintainability"],
                    [long, short, "Python", "Memory_Efficiency"]])
    fitted = rmq.fit_rules(train)
    assert fitted["rm"][1] is True and fitted["me"][1] is False
    rows = rmq.table(bench, [True, False], fitted)
    assert rows["rm"]["rm"] == 100.0 and rows["me"]["rm"] == 0.0 and rows["all"]["rm"] == 50.0
    assert rows["all"]["longer"] == 100.0 and rows["me"]["fitted_on_train"] == 0.0
    assert rows["rm"]["pairs"] == 1 and rows["all"]["pairs"] == 2


def test_every_backbone_has_trainer_flags_the_trainer_accepts():
    from training import config
    assert set(rmq.BACKBONE_FLAGS) == set(rmq.BACKBONES)
    for name, flags in rmq.BACKBONE_FLAGS.items():
        cfg = config.from_cli(["--train", "x", "--model", "m", "--output", "o", *flags])
        assert cfg.system_prompt == "aspect" and cfg.epochs == 2, name
        # The head gets its own, larger step than a trained backbone's; a frozen backbone has no
        # step, and the head's rate is the only one that moves anything.
        assert cfg.head_lr > (0.0 if cfg.freeze_backbone else cfg.lr), name
