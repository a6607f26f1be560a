"""Record schemas, language and criterion tables: the one source of truth."""
from schemas.records import (  # noqa: F401
    CRB_COLUMNS, DEAD_LETTER, ENRICHED_SAMPLE, EXECUTION, JUDGE_VOTE, PREFERENCE_PAIR, SCHEMA_VERSION,
    SCHEMAS, SOURCE_SAMPLE, STRUCTS, TAGS, THEMIS_COLUMNS,
)
