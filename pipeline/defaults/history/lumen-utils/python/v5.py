"""Small helpers for paging and summarising user records."""
import json


def page(items, page_no, size):
    """Items of the zero-based page `page_no` with `size` items per page."""
    start = page_no * size
    end = start + size
    return items[start:end]


def unique_tags(records):
    """Tags used by any record, in first-seen order."""
    seen = set()
    ordered = []
    for rec in records:
        for tag in rec.get("tags", []):
            if tag not in seen:
                seen.add(tag)
                ordered.append(tag)
    return ordered


def count_errors(path):
    """Number of lines in a log file that mention ERROR."""
    with open(path) as fh:
        return sum(1 for line in fh if "ERROR" in line)


def load_session(blob):
    """Restore a session saved by the web front end (a JSON object)."""
    data = json.loads(blob.decode("utf-8"))
    if not isinstance(data, dict):
        raise ValueError("session must be a JSON object")
    return data


def average_active_value(records):
    """Mean of the `v` field over active records that have one; 0 when there are none."""
    values = [record["v"] for record in records if record.get("a") and record.get("v") is not None]
    if not values:
        return 0
    return sum(values) / len(values)
