import ast

import pyarrow as pa
import pytest

from schemas import criteria, languages
from schemas.docgen import render
from schemas.records import DEAD_LETTER, PREFERENCE_PAIR, SOURCE_SAMPLE, THEMIS_COLUMNS
from schemas.samples import source_sample
from schemas.validate import SchemaError, to_table, validate_record, validate_table
from pathlib import Path


def test_language_table_is_complete_and_aliases_resolve():
    assert languages.LANGUAGE_IDS == ("c", "cpp", "csharp", "go", "java", "javascript", "python", "ruby")
    assert languages.get("C#").id == "csharp"
    assert languages.get("Cpp").id == "cpp"
    assert languages.get("C++").id == "cpp"
    assert languages.by_extension("src/Main.java").id == "java"
    assert languages.by_extension("README.md") is None
    with pytest.raises(KeyError):
        languages.get("cobol")


def test_criteria_spellings():
    assert criteria.get("Readability_Maintainability").id == "rm"
    assert criteria.get("Runtime Efficiency").id == "ee"
    assert criteria.get("SH").id == "sh"


def test_preference_pair_is_superset_of_themis_columns():
    names = PREFERENCE_PAIR.names
    for col in THEMIS_COLUMNS:
        assert col in names
    assert PREFERENCE_PAIR.field("idx").type == pa.int64()


def test_validate_record_rejects_missing_extra_and_mistyped_fields():
    rec = {f.name: None for f in DEAD_LETTER}
    rec.update(stage="read", reason="binary_file", record_id="x", record_kind="input")
    validate_record(rec, DEAD_LETTER)
    with pytest.raises(SchemaError, match="missing"):
        validate_record({k: v for k, v in rec.items() if k != "stage"}, DEAD_LETTER)
    with pytest.raises(SchemaError, match="unknown"):
        validate_record(dict(rec, surprise=1), DEAD_LETTER)
    with pytest.raises(SchemaError, match="non-nullable"):
        validate_record(dict(rec, reason=None), DEAD_LETTER)
    with pytest.raises(SchemaError, match="expected str"):
        validate_record(dict(rec, reason=3), DEAD_LETTER)


def test_nested_struct_validation():
    rec = {f.name: None for f in SOURCE_SAMPLE}
    rec.update(sample_id="s", source="problems", kind="submission", language="c", code="int main(){}",
               criteria_hint=["fc", 3], split="train")
    with pytest.raises(SchemaError, match=r"criteria_hint\[1\]"):
        validate_record(rec, SOURCE_SAMPLE)
    rec["criteria_hint"] = ["fc"]
    table = to_table([rec], SOURCE_SAMPLE)
    validate_table(table, SOURCE_SAMPLE)
    with pytest.raises(SchemaError):
        validate_table(table.drop_columns(["code"]), SOURCE_SAMPLE)


def test_docs_schema_is_generated_from_code():
    doc = Path(__file__).resolve().parent.parent / "docs" / "schema.md"
    assert doc.read_text("utf-8") == render(), "docs/schema.md is stale: run python -m schemas.docgen"


def test_the_sample_constructor_writes_every_source_sample_field_in_schema_order():
    sample = source_sample(sample_id="s", source="problems", kind="submission", language="python", code="x\n",
                           split="bench", criteria_hint=("fc",))
    assert list(sample) == SOURCE_SAMPLE.names
    assert (sample["criteria_hint"], sample["code_before"], sample["variant_of"]) == (["fc"], None, None)
    validate_record(sample, SOURCE_SAMPLE)
    with pytest.raises(ValueError, match="kind"):
        source_sample(sample_id="s", source="x", kind="pair", language="c", code="", split="train")
    with pytest.raises(ValueError, match="split"):
        source_sample(sample_id="s", source="x", kind="commit", language="c", code="", split="test")


def test_readers_build_samples_with_the_one_constructor():
    """No reader writes the sample dict literal again: a dict display with a "variant_of" key appears
    only in schemas/samples.py."""
    root = Path(__file__).resolve().parents[1]
    found = []
    for package in ("transforms", "pipeline", "schemas"):
        for path in sorted((root / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                if isinstance(node, ast.Dict) and any(isinstance(k, ast.Constant) and k.value == "variant_of"
                                                      for k in node.keys):
                    found.append(str(path.relative_to(root)))
    assert found == ["schemas/samples.py"]
