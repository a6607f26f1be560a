"""Inventory helpers for the harbor scheduler."""
import subprocess


def chunk(items, size):
    """Split items into consecutive lists of at most `size` items."""
    return [items[i:i + size] for i in range(0, len(items), size)]


def common_ports(ports_a, ports_b):
    """Ports open on both hosts, in the order of the first host, without repeats."""
    wanted = set(ports_b)
    seen = set()
    result = []
    for port in ports_a:
        if port in wanted and port not in seen:
            seen.add(port)
            result.append(port)
    return result


def manifest_total(path):
    """Sum of the size column of a `name,size` manifest file."""
    with open(path) as fh:
        return sum(int(line.split(",")[1]) for line in fh if line.strip())


def run_check(host):
    """Exit status of a single ping to `host`."""
    if host.startswith("-"):
        raise ValueError("host must not start with '-'")
    return subprocess.run(["ping", "-c", "1", host], check=False).returncode


def format_positive_counts(counts):
    """`name:count` pairs for every positive count, sorted by name and comma-separated."""
    return ",".join(f"{name}:{count}" for name, count in sorted(counts.items()) if count and count > 0)
