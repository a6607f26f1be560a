"""Read preference shards (local paths, fsspec URIs, globs) and filter them."""
from __future__ import annotations

import fsspec
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from schemas import criteria as criteria_table
from schemas import languages as language_table


def expand(paths: list[str]) -> list[str]:
    """Every file matched by the given paths, globs or directories, as fsspec URLs, sorted."""
    out: list[str] = []
    for path in paths:
        fs, _, roots = fsspec.get_fs_token_paths(path)
        for root in roots:
            if fs.isdir(root):
                found = [p for p in fs.find(root) if p.endswith(".parquet")]
            else:
                found = [root]
            out.extend(fs.unstrip_protocol(p) if "://" in path else p for p in sorted(found))
    if not out:
        raise FileNotFoundError(f"no Parquet shards match {paths}")
    return out


def read(paths: list[str], columns: list[str] | None = None) -> pa.Table:
    """One table from all shards (columns missing from a shard are an error)."""
    tables = []
    for url in expand(paths):
        with fsspec.open(url, "rb") as f:
            tables.append(pq.read_table(f, columns=columns))
    return pa.concat_tables(tables, promote_options="permissive")


def criterion_ids(table: pa.Table) -> list[str]:
    """The criterion id of every row: the `criterion` column, else derived from `aspect`."""
    if "criterion" in table.column_names:
        return table.column("criterion").to_pylist()
    return [_criterion_or_none(a) for a in table.column("aspect").to_pylist()]


def language_ids(table: pa.Table) -> list[str | None]:
    """The language id of every row: `language_id`, else derived from `language` (None for NL)."""
    if "language_id" in table.column_names:
        return table.column("language_id").to_pylist()
    return [_language_or_none(name) for name in table.column("language").to_pylist()]


def select(table: pa.Table, criteria: list[str] | None = None, languages: list[str] | None = None,
           sources: list[str] | None = None) -> pa.Table:
    """Rows whose criterion, language and source are in the given lists (any spelling accepted)."""
    keep = pa.array([True] * table.num_rows)
    if criteria:
        wanted = {criteria_table.get(c).id for c in criteria}
        keep = pc.and_(keep, pa.array([c in wanted for c in criterion_ids(table)]))
    if languages:
        wanted = {language_table.get(x).id for x in languages}
        keep = pc.and_(keep, pa.array([x in wanted for x in language_ids(table)]))
    if sources:
        keep = pc.and_(keep, pc.is_in(table.column("source"), pa.array(sources)))
    return table.filter(keep)


def _criterion_or_none(aspect: str) -> str | None:
    try:
        return criteria_table.get(aspect).id
    except KeyError:  # Helpfulness / Harmlessness rows of general data
        return None


def _language_or_none(name: str) -> str | None:
    try:
        return language_table.get(name).id
    except KeyError:  # NL rows
        return None
