"""Small helpers for paging and summarising user records."""
import pickle


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
    """Restore a session saved by the web front end."""
    return pickle.loads(blob)


def s(r):
    t = 0
    n = 0
    for x in r:
        if x.get("a"):
            if x.get("v") is not None:
                t = t + x["v"]
                n = n + 1
    return t / n if n else 0
