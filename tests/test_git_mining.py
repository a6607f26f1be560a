"""The bundled git history and the Beam-free commit miner (transforms.mining)."""
from __future__ import annotations

import json
import os
import re
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import pyarrow as pa
import pytest

from pipeline.defaults import history
from schemas.criteria import CRITERION_IDS
from schemas.languages import LANGUAGE_IDS
from schemas.records import SOURCE_SAMPLE
from transforms.common import stable_hex
from transforms.mining import filters, licenses, splits, terms
from transforms.mining.filters import MiningConfig
from transforms.read.git import DROP_REASONS, GitError, list_commits, read_commit

GIT_ENV = {"GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"}


def git(*args: str, cwd: Path | None = None) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env={**os.environ, **GIT_ENV})
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def mine(repo: str) -> dict[str, tuple]:
    return {sha: read_commit(repo, sha, MiningConfig()) for sha in list_commits(repo)}


@pytest.fixture(scope="module")
def specs():
    return {spec["name"]: spec for spec in history.load_specs()}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return history.build_repositories(tmp_path_factory.mktemp("history"))


@pytest.fixture(scope="module")
def mined(built):
    """repo name -> {sha: (sample, reason, detail)}"""
    return {repo.name: mine(str(repo)) for repo in built}


@pytest.fixture(scope="module")
def messages(built):
    """repo name -> {sha: full message}"""
    out = {}
    for repo in built:
        log = git("log", "--all", "--format=%H%x00%B%x01", cwd=repo)
        out[repo.name] = {sha.strip(): msg.strip() for sha, msg in
                          (entry.split("\0", 1) for entry in log.split("\x01") if entry.strip())}
    return out


@pytest.fixture(scope="module")
def samples(mined):
    return [s for results in mined.values() for s, _, _ in results.values() if s is not None]


# --------------------------------------------------------------------------- builder

def test_builder_is_deterministic_and_reuses_builds(tmp_path, built):
    again = history.build_repositories(tmp_path / "b")
    assert [r.name for r in again] == [r.name for r in built]
    for first, second in zip(built, again):
        assert git("rev-parse", "HEAD", cwd=first) == git("rev-parse", "HEAD", cwd=second)
        assert git("for-each-ref", cwd=first) == git("for-each-ref", cwd=second)
        assert history.recorded_head(first) == git("rev-parse", "HEAD", cwd=first).strip()
    # A second build into the same place reuses the repositories (same folder, untouched marker).
    marker = again[0] / ".git" / history.MARKER
    stamp = marker.stat().st_mtime_ns
    assert history.build_repositories(tmp_path / "b") == again
    assert marker.stat().st_mtime_ns == stamp
    # A stale marker forces a rebuild that lands on the same head.
    marker.write_text(json.dumps({"digest": "stale", "head": "0" * 40}))
    history.build_repositories(tmp_path / "b")
    assert history.recorded_head(again[0]) == history.recorded_head(built[0])


def test_builder_checks_out_a_clean_default_branch(built):
    for repo in built:
        assert git("symbolic-ref", "HEAD", cwd=repo).strip() == "refs/heads/main"
        assert git("status", "--porcelain", cwd=repo) == ""


def test_bundled_history_dates_respect_the_split_windows(specs):
    config = splits.SplitConfig()
    by_split = {"train": [], "bench": []}
    for spec in specs.values():
        by_split[spec["split"]].append(spec["name"])
        for commit in spec["commit"]:
            ts = int(datetime.fromisoformat(commit["date"]).timestamp())
            inside = config.in_train_window(ts) if spec["split"] == "train" else config.in_bench_window(ts)
            assert inside, (spec["name"], commit["date"])
    assert len(by_split["train"]) >= 2 and len(by_split["bench"]) >= 1
    assert not set(by_split["train"]) & set(by_split["bench"])


# --------------------------------------------------------------------------- miner

def test_every_commit_yields_what_its_spec_expects(specs, mined, messages):
    for name, results in mined.items():
        expected = {c["message"].strip(): c["expect"] for c in specs[name]["commit"]}
        assert len(results) == len(expected), name
        for sha, (sample, reason, detail) in results.items():
            want = expected[messages[name][sha]]
            if isinstance(want, list):
                assert reason is None and sample is not None, (name, messages[name][sha], reason, detail)
                assert sample["criteria_hint"] == want
            else:
                assert sample is None and reason == want, (name, messages[name][sha], reason, detail)


def test_every_drop_reason_is_exercised(mined):
    seen = {reason for results in mined.values() for _, reason, _ in results.values() if reason}
    assert seen == set(DROP_REASONS)


def test_every_language_and_criterion_appears_in_both_splits(samples):
    train_repos = splits.train_repos_of(samples)
    covered = {"train": set(), "bench": set()}
    for sample in samples:
        split, reason = splits.assign_split(sample["timestamp"], sample["repo"], splits.SplitConfig(), train_repos)
        assert reason is None
        covered[split].update((sample["language"], c) for c in sample["criteria_hint"])
    everything = {(lang, c) for lang in LANGUAGE_IDS for c in CRITERION_IDS}
    assert covered["train"] == everything
    assert covered["bench"] == everything


def test_samples_follow_the_source_sample_schema(samples, specs):
    table = pa.Table.from_pylist(samples, schema=SOURCE_SAMPLE)
    assert table.num_rows == len(samples)
    for sample in samples:
        assert set(sample) == set(SOURCE_SAMPLE.names)
        assert sample["kind"] == "commit" and sample["source"] == "commits"
        assert sample["sample_id"] == stable_hex(sample["repo"], sample["commit"], sample["path"])
        assert sample["license"] == specs[sample["repo"]]["license"]
        assert sample["problem_id"] is None and sample["submission_id"] is None and sample["instruction"] is None
    assert len({s["sample_id"] for s in samples}) == len(samples)


def test_sample_content_matches_the_version_files(samples, specs):
    for sample in samples:
        spec = specs[sample["repo"]]
        commit = next(c for c in spec["commit"] if c["message"].strip() == sample["message"].strip())
        assert sample["timestamp"] == int(datetime.fromisoformat(commit["date"]).timestamp())
        (entry,) = commit["files"]
        assert entry["path"] == sample["path"]
        assert sample["code"] == (spec["_dir"] / entry["from"]).read_text("utf-8")
        version = int(re.search(r"v(\d+)\.", entry["from"]).group(1))
        before = spec["_dir"] / entry["from"].replace(f"v{version}.", f"v{version - 1}.")
        assert sample["code_before"] == before.read_text("utf-8")


def apply_unified_diff(before: str, diff: str) -> str:
    """Apply a unified diff (as read_commit writes it) to ``before``."""
    old = before.splitlines(keepends=True)
    out, pos = [], 0
    lines = diff.splitlines(keepends=True)
    i = 0
    while i < len(lines):
        m = re.match(r"@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@", lines[i])
        i += 1
        if not m:
            continue
        start = int(m.group(1)) - (0 if m.group(2) == "0" else 1)
        out.extend(old[pos:start])
        pos = start
        while i < len(lines) and not lines[i].startswith("@@"):
            tag, text = lines[i][0], lines[i][1:]
            if tag == " ":
                assert old[pos] == text
                out.append(text)
                pos += 1
            elif tag == "-":
                assert old[pos] == text
                pos += 1
            elif tag == "+":
                out.append(text)
            i += 1
    out.extend(old[pos:])
    return "".join(out)


def test_diff_turns_the_old_file_into_the_new_one(samples):
    for sample in samples:
        assert sample["diff"].startswith(f"--- a/{sample['path']}\n+++ b/{sample['path']}\n")
        assert apply_unified_diff(sample["code_before"], sample["diff"]) == sample["code"]
        assert sample["code"] != sample["code_before"]


def test_list_commits_is_oldest_first_and_complete(built, specs):
    for repo in built:
        shas = list_commits(str(repo))
        assert len(shas) == len(specs[repo.name]["commit"])
        assert git("rev-list", "--max-parents=0", "--all", cwd=repo).split() == shas[:1]
        times = [int(git("log", "-1", "--format=%ct", sha, cwd=repo)) for sha in shas]
        assert times == sorted(times)


def test_bundle_bare_and_url_are_read_like_the_working_repo(tmp_path, built, mined, monkeypatch):
    monkeypatch.setenv("CODEPREF_GIT_CACHE", str(tmp_path / "cache"))
    repo = next(r for r in built if r.name == "lumen-utils")
    bundle = tmp_path / "lumen-utils.bundle"
    git("bundle", "create", str(bundle), "--all", cwd=repo)
    bare = tmp_path / "lumen-utils.git"
    git("clone", "--quiet", "--mirror", str(repo), str(bare))
    assert mine(str(bundle)) == mined["lumen-utils"]
    assert mine(str(bare)) == mined["lumen-utils"]
    url = repo.resolve().as_uri()
    from_url = mine(url)
    assert [r[1] for r in from_url.values()] == [r[1] for r in mined["lumen-utils"].values()]
    assert {s["repo"] for s, _, _ in from_url.values() if s} == {url}


def test_unreachable_url_and_non_repository_raise_clear_errors(tmp_path, monkeypatch):
    monkeypatch.setenv("CODEPREF_GIT_CACHE", str(tmp_path / "cache"))
    with pytest.raises(GitError, match="cannot clone"):
        list_commits((tmp_path / "missing").as_uri())
    (tmp_path / "plain").mkdir()
    with pytest.raises(GitError, match="not a git repository"):
        list_commits(str(tmp_path / "plain"))


def test_odd_file_names_are_mined_intact(tmp_path):
    licenses_dir = tmp_path / "licenses"
    licenses_dir.mkdir()
    licenses_dir.joinpath("MIT.txt").write_bytes(
        (history.bundled_history_dir() / "licenses" / "MIT.txt").read_bytes())
    path = 'odd dir/na\u00efve "quoted"\tname.py'
    spec = {"name": "odd", "license": "MIT", "license_text": "MIT.txt", "_dir": tmp_path, "_licenses": licenses_dir,
            "commit": [
                {"date": "2018-01-01T10:00:00+00:00", "author": "A B <a@b.example>", "message": "Add license and code",
                 "files": [{"path": "LICENSE", "license": True}, {"path": path, "text": "x = [1, 2]\nprint(x[2])\n"}]},
                {"date": "2018-01-02T10:00:00+00:00", "author": "A B <a@b.example>",
                 "message": "Fix off-by-one when printing the last item",
                 "files": [{"path": path, "text": "x = [1, 2]\nprint(x[1])\n"}]},
            ]}
    repo = history.build_repository(spec, tmp_path / "out")
    (_, (first, reason, _)), (_, (sample, none, _)) = mine(str(repo)).items()
    assert first is None and reason == "no_criterion_terms"
    assert none is None and sample["path"] == path and sample["language"] == "python"
    assert sample["criteria_hint"] == ["fc"] and sample["license"] == "MIT"


# --------------------------------------------------------------------------- messages and terms

def test_message_checks():
    config = MiningConfig()
    check = filters.check_message
    assert check("wip", config) == ([], "low_signal_message")
    assert check("Fix typo.", config) == ([], "low_signal_message")
    assert check("Merge pull request #4 from x/faster", config) == ([], "low_signal_message")
    assert check("Faster map", config) == ([], "message_too_short")
    assert check("Fix off-by-one " + "x" * 3000, config) == ([], "message_too_long")
    assert check("Bring docs in line with the release", config) == ([], "no_criterion_terms")
    assert check("Fix off-by-one and speed up the scan with a hash map", config) == (["fc", "ee"], None)
    only_sh = MiningConfig(criteria=("sh",))
    assert check("Fix off-by-one in the pager", only_sh) == ([], "no_criterion_terms")


def test_term_lists_are_rich_and_well_formed():
    table = terms.criterion_terms()
    assert tuple(table) == CRITERION_IDS
    for cid, ts in table.items():
        assert 20 <= len(ts) <= 80, cid
        assert all(t == t.strip().lower() and t for t in ts)
        assert len(set(ts)) == len(ts)


def test_match_criteria_is_case_insensitive_multi_label_and_ordered():
    assert terms.match_criteria("SPEED UP the Lookup") == ["ee"]
    assert terms.match_criteria("Use parameterized query to prevent SQL injection") == ["sh"]
    assert terms.match_criteria("Replace MD5 with SHA-256") == ["sh"]
    assert terms.match_criteria("Reduce memory by streaming lines instead of loading the file") == ["me"]
    assert terms.match_criteria("Refactor: extract helpers and rename variables for readability") == ["rm"]
    assert terms.match_criteria("Refactor for readability and fix off-by-one") == ["fc", "rm"]
    assert terms.matching_terms("Fix off-by-one")["fc"] == ["off-by-one"]


def test_common_neutral_messages_match_no_criterion():
    neutral = [
        "Add README", "Bump dependencies", "Release 2.0", "Initial import", "Merge branch 'develop'",
        "Update copyright year", "Add CI configuration", "Translate the user guide", "Add contributors file",
        "Retrieve evaluation progress from the address book", "Move files around", "Add unit tests for parser",
        "Support Windows paths", "Document the zoom room booking API", "Add screenshot to docs",
    ]
    assert {m: terms.match_criteria(m) for m in neutral} == {m: [] for m in neutral}


def test_parse_terms_skips_comments_blanks_and_duplicates():
    assert terms.parse_terms("# comment\n  Foo \n\nbar\nfoo\n") == ("foo", "bar")


# --------------------------------------------------------------------------- licences

@pytest.mark.parametrize("text, spdx", [
    ((history.bundled_history_dir() / "licenses" / "MIT.txt").read_text(), "MIT"),
    ((history.bundled_history_dir() / "licenses" / "Apache-2.0.txt").read_text(), "Apache-2.0"),
    ((history.bundled_history_dir() / "licenses" / "BSD-3-Clause.txt").read_text(), "BSD-3-Clause"),
    ((history.bundled_history_dir() / "licenses" / "GPL-3.0-notice.txt").read_text(), "GPL-3.0"),
    ("Redistribution and use in source and binary forms, with or without modification, are permitted provided "
     "that the following conditions are met: 1. Redistributions of source code must retain the above copyright "
     "notice, this list of conditions and the following disclaimer.", "BSD-2-Clause"),
    ("Permission to use, copy, modify, and/or distribute this software for any purpose with or without fee is "
     "hereby granted, provided that the above copyright notice and this permission notice appear in all copies.",
     "ISC"),
    ("This program is free software; you can redistribute it under the terms of the GNU General Public License "
     "as published by the Free Software Foundation; either version 2 of the License.", "GPL-2.0"),
    ("GNU LESSER GENERAL PUBLIC LICENSE\n Version 2.1, February 1999", "LGPL-2.1"),
    ("GNU LESSER GENERAL PUBLIC LICENSE\n Version 3, 29 June 2007", "LGPL-3.0"),
    ("Mozilla Public License Version 2.0\n==================================", "MPL-2.0"),
    ("This is free and unencumbered software released into the public domain.", "Unlicense"),
    ("# Permission is hereby granted, free of charge, to any person obtaining a copy\n# of this software ...\n"
     "# The above copyright notice and this permission notice shall be included in\n# all copies.", "MIT"),
    ("All rights reserved. Do not copy.", None),
])
def test_detect_spdx(text, spdx):
    assert licenses.detect_spdx(text) == spdx


def test_licence_file_names():
    assert all(map(licenses.is_license_file, ["LICENSE", "License.md", "COPYING", "LICENCE.txt", "UNLICENSE"]))
    assert not any(map(licenses.is_license_file, ["LICENSE.py", "README", "license_check.go"]))
    assert sorted(["COPYING", "LICENSE.md", "LICENSE"], key=licenses.license_file_rank) == ["LICENSE", "LICENSE.md", "COPYING"]


# --------------------------------------------------------------------------- splits

def ts(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=timezone.utc).timestamp())


def test_assign_split_windows_and_repository_disjointness():
    config = splits.SplitConfig()
    none: frozenset[str] = frozenset()
    assert splits.assign_split(ts("2016-05-01T00:00:00"), "a", config, none) == ("train", None)
    assert splits.assign_split(ts("2019-03-31T23:59:59"), "a", config, none) == ("train", None)
    assert splits.assign_split(ts("2019-04-01T00:00:00"), "a", config, none) == (None, "outside_split_windows")
    assert splits.assign_split(ts("2019-05-31T23:59:59"), "a", config, none) == (None, "outside_split_windows")
    assert splits.assign_split(ts("2019-06-01T00:00:00"), "b", config, none) == ("bench", None)
    assert splits.assign_split(ts("2021-01-31T23:59:59"), "b", config, none) == ("bench", None)
    assert splits.assign_split(ts("2021-02-01T00:00:00"), "b", config, none) == (None, "outside_split_windows")
    assert splits.assign_split(ts("2020-01-01T00:00:00"), "a", config, frozenset({"a"})) == (None, "repo_in_train")
    assert splits.assign_split(ts("2018-01-01T00:00:00"), "a", config, frozenset({"a"})) == ("train", None)


def test_train_repos_of():
    samples = [{"repo": "a", "timestamp": ts("2018-01-01T00:00:00")}, {"repo": "a", "timestamp": ts("2020-01-01T00:00:00")},
               {"repo": "b", "timestamp": ts("2020-01-01T00:00:00")}, {"repo": "c", "timestamp": ts("2019-04-15T00:00:00")}]
    assert splits.train_repos_of(samples) == frozenset({"a"})
    later = splits.SplitConfig(train_end=datetime(2019, 4, 30).date())
    assert splits.train_repos_of(samples, later) == frozenset({"a", "c"})
