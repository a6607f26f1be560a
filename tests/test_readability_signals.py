"""Readability signals (magic numbers, long lines) on small real snippets, the rm margin rule and
the changed-code view of commit pairs."""
from pathlib import Path

import pytest

from transforms.tagging import parsers, static_judge, tag_code
from transforms.tagging.static_judge import StaticJudgeConfig, rm_score
from transforms.tagging.style import literal_value, long_line_share, magic_numbers


def _magic(code: str, lang: str) -> int:
    tree = parsers.parse(code.encode(), lang)
    return magic_numbers(tree, code.split("\n"), lang)


@pytest.mark.parametrize("lang, code, expected", [
    # Unexplained bounds in the logic count; 0, 1 and 2 do not.
    ("python", "for a in range(300):\n    if a * 2 + 1 == 1000:\n        print(a)\n", 2),
    # Named: an UPPER constant, a parameter default; data: the elements of a list literal.
    ("python", "LIMIT = 1000\n\ndef solution(n=1000):\n    return [60, 100, 120][n % 3] + LIMIT\n", 1),
    ("c", "#define HEADROOM 20\nint f(int x) { return (x >> 3) & 7; }\n", 2),
    ("c", "static const int table[] = {31, 28, 31};\nint g(int m) { return table[m]; }\n", 0),
    ("go", "package main\n\nconst headroom = 128\n\nfunc f(i int) int { return i>>6 + headroom }\n", 1),
    ("java", "class A {\n  static final int SIZE = 64;\n  int f(int i) { return i % 37 + SIZE; }\n}\n", 1),
    ("javascript", "const w = 1920;\nfunction f(x) { return x * 1.5 + w; }\n", 1),
])
def test_magic_numbers_count_unnamed_literals_in_logic(lang, code, expected):
    assert _magic(code, lang) == expected


def test_literal_values_parse_every_spelling():
    assert literal_value("1469598103934665603ULL") == float(1469598103934665603)
    assert literal_value("0x30") == 48 and literal_value("1_000") == 1000 and literal_value("2.5f") == 2.5
    assert literal_value("1e3") == 1000.0 and literal_value("0.0") == 0.0


def test_long_line_share_counts_non_blank_lines_over_100_columns():
    lines = ["x = 1", "", "y = " + "a + " * 30 + "b", "\t" * 25 + "z"]
    assert long_line_share(lines) == pytest.approx(2 / 3)
    assert long_line_share([]) == 0.0


# TheAlgorithms/Python ciphers/caesar_cipher.py before and after commit f1fe458356 (abridged):
# one function over an alphabet constant vs copy-pasted loops over magic code points.
CAESAR_BEFORE = '''
def encdec(message, key, mode):
    message = message.upper()
    translated = ""
    LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    for symbol in message:
        if symbol in LETTERS:
            num = LETTERS.find(symbol)
            if mode == "encrypt":
                num = num + key
            elif mode == "decrypt":
                num = num - key
            translated += LETTERS[num % len(LETTERS)]
        else:
            translated += symbol
    return translated
'''
CAESAR_AFTER = '''
def encrypt(strng, key):
    encrypted = ''
    for x in strng:
        indx = (ord(x) + key) % 256
        if indx > 126:
            indx = indx - 95
        encrypted = encrypted + chr(indx)
    return encrypted


def decrypt(strng, key):
    decrypted = ''
    for x in strng:
        indx = (ord(x) - key) % 256
        if indx < 32:
            indx = indx + 95
        decrypted = decrypted + chr(indx)
    return decrypted

def brute_force(strng):
    key = 1
    decrypted = ''
    while key != 96:
        for x in strng:
            indx = (ord(x) - key) % 256
            if indx < 32:
                indx = indx + 95
            decrypted = decrypted + chr(indx)
        print(decrypted)
        decrypted = ''
        key += 1
    return None
'''

# TheAlgorithms/C project_euler/problem_9: brute force with unexplained bounds vs one loop.
TRIPLET_NESTED = '''
#include <stdio.h>
int main(void)
{
    for (int a = 1; a < 300; a++)
        for (int b = a + 1; b < 400; b++)
            for (int c = b + 1; c < 500; c++)
            {
                if (a * a + b * b == c * c)
                    if (a + b + c == 1000)
                    {
                        printf("%d x %d x %d = %ld\\n", a, b, c, (long int)a * b * c);
                        return 0;
                    }
            }
    return 0;
}
'''
TRIPLET_DIRECT = '''
#include <stdio.h>
#define PERIMETER 1000
/* With a + b + c = n and a^2 + b^2 = c^2, b = (n^2 - 2an) / (2n - 2a). */
int main(void)
{
    int n = PERIMETER;
    for (int a = 1; a < n / 3; a++)
    {
        int b = (n * n - 2 * a * n) / (2 * (n - a));
        int c = n - a - b;
        if (a * a + b * b == c * c)
        {
            printf("%d x %d x %d = %ld\\n", a, b, c, (long int)a * b * c);
            return 0;
        }
    }
    return 0;
}
'''


@pytest.mark.parametrize("readable, unreadable, lang", [
    (CAESAR_BEFORE, CAESAR_AFTER, "python"), (TRIPLET_DIRECT, TRIPLET_NESTED, "c")])
def test_signals_separate_readable_from_unreadable_real_code(readable, unreadable, lang):
    good, bad = tag_code(readable, lang), tag_code(unreadable, lang)
    assert bad["magic_number_ratio"] > good["magic_number_ratio"]
    v = static_judge("rm", good, bad)
    assert v.winner == "A" and v.margin >= StaticJudgeConfig().rm_min_margin
    assert static_judge("rm", bad, good).winner == "B"


def test_margin_rule_is_per_criterion_and_overridable():
    config = StaticJudgeConfig()
    assert config.min_margin("rm") == config.rm_min_margin > config.min_margin("sh") == config.sh_min_margin
    good, bad = tag_code(CAESAR_BEFORE, "python"), tag_code(CAESAR_AFTER, "python")
    gap = rm_score(good) - rm_score(bad)
    # Just above the gap: abstain, whether the margin comes from the config or the call.
    tighter = StaticJudgeConfig(rm_min_margin=gap + 1e-9)
    for v in (static_judge("rm", good, bad, config=tighter), static_judge("rm", good, bad, min_margin=gap + 1e-9)):
        assert v.winner is None and v.reason == "below_margin" and v.margin == pytest.approx(gap)
    assert static_judge("rm", good, bad, config=StaticJudgeConfig(rm_min_margin=gap - 1e-9)).winner == "A"
    # The rm margin does not move sh: one medium finding against none is still decided at 0.05.
    secure, weak = tag_code("import hashlib\nh = hashlib.sha256(b'x')\n", "python"), \
        tag_code("import hashlib\nh = hashlib.md5(b'x')\n", "python")
    assert static_judge("sh", secure, weak, config=StaticJudgeConfig(rm_min_margin=0.99)).winner == "A"


def test_a_gap_between_the_old_and_the_new_rm_margin_is_no_longer_a_label():
    # Two normally written versions: a helper function vs the same logic inline.
    helper = "def is_even(n):\n    return n % 2 == 0\n\n\ndef count_even(values):\n    return sum(1 for v in values if is_even(v))\n"
    inline = ("def count_even(values):\n    total = 0\n    for value in values:\n        if value % 2 == 0:\n"
              "            total += 1\n    return total\n")
    v = static_judge("rm", tag_code(helper, "python"), tag_code(inline, "python"))
    assert v.margin < StaticJudgeConfig().rm_min_margin and v.winner is None


# A refactor of one function in a file of five: the bundled harbor-kit commit "Refactor p() into
# format_positive_counts with readable names and one condition" (harbor/inventory.py, v4 -> v5).
HISTORY = Path(__file__).resolve().parents[1] / "pipeline" / "defaults" / "history" / "harbor-kit" / "python"
BEFORE, AFTER = ((HISTORY / name).read_text() for name in ("v4.py", "v5.py"))


def test_changed_parts_drop_the_functions_a_commit_left_alone():
    from transforms.tagging.changed import changed_parts
    # Whitespace aside: an unchanged function with a blank line and trailing spaces added is unchanged.
    old, new = changed_parts(BEFORE, AFTER.replace("    wanted = set(ports_b)\n", "    wanted = set(ports_b)   \n\n"), "python")
    assert "def chunk" not in old and "def common_ports" not in new and "def run_check" not in new
    assert "def p(d)" in old and "def format_positive_counts" in new and "import subprocess" in new
    assert tag_code(old, "python")["language_ok"] and tag_code(new, "python")["language_ok"]
    decorated = "@cache\ndef chunk(items):\n    return items\n\n\ndef p(d):\n    return d\n"
    old, new = changed_parts(decorated, decorated.replace("return d", "return dict(d)"), "python")
    assert "@cache" not in old + new and tag_code(new, "python")["language_ok"]  # the decorator goes too
    only_changed = changed_parts("def p(d):\n    return d\n", "def q(d):\n    return d\n", "python")
    assert only_changed is None  # nothing shared: judge the whole files
    assert changed_parts(BEFORE, AFTER, "klingon") is None


def test_commit_readability_judges_the_changed_code_with_the_commit_margin():
    from transforms.labels import commit_readability, label_commit
    sample = {"code_before": BEFORE, "code": AFTER, "language": "python"}
    sample.update(tags_before=tag_code(sample["code_before"], "python"), tags=tag_code(sample["code"], "python"))
    whole = static_judge("rm", sample["tags_before"], sample["tags"], min_margin=0.0)
    label = commit_readability(sample)
    assert label.better == "B" and label.margin > whole.margin  # the unchanged functions dilute the file score
    assert label.margin >= StaticJudgeConfig().commit_rm_min_margin > whole.margin
    assert label_commit("rm", sample).better == "B"
    # The judge must still agree with the commit: the same change reverted is rejected.
    reverted = {"code_before": sample["code"], "code": sample["code_before"], "language": "python",
                "tags_before": sample["tags"], "tags": sample["tags_before"]}
    assert label_commit("rm", reverted).reason == "judge_disagrees_with_commit"
    assert commit_readability(sample, StaticJudgeConfig(commit_rm_min_margin=label.margin + 1e-9)).better is None
