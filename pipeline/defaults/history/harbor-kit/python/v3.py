"""Inventory helpers for the harbor scheduler."""
import os


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
    return os.system("ping -c 1 " + host)


def p(d):
    o = []
    for k in sorted(d):
        v = d[k]
        if v:
            if v > 0:
                o.append("%s:%d" % (k, v))
    return ",".join(o)
