"""Facts about the measuring machine that change what a CPU-time measurement means.

Free page reporting: a virtual machine whose balloon device reports free pages
(``VIRTIO_BALLOON_F_REPORTING``, Firecracker's and QEMU's ``free-page-reporting``) hands memory
that stays free for a moment back to its host; the next program to touch that memory pays a
host page fault per page, inside its own CPU time. A Go program that ran in 0.05 s took
0.24-0.32 s on its first run after 10 s idle on such a VM (docs/benchmarks.md). The warm-up
run (``--exec_warmup``) absorbs that cold first run; what is left can move the efficiency labels
of memory-heavy programs near the threshold, so a run records where it was measured (the
``execute.executed_free_page_reporting`` counter) and says so in its report and card. A kernel
whose ``page_reporting_order`` is above the largest block order reports nothing, which is read
too: a machine set so is not counted.
"""
from __future__ import annotations

import functools
import os

BALLOON_DEVICE_ID = 5  # virtio device id of the memory balloon (virtio spec 5.5)
REPORTING_FEATURE_BIT = 5  # VIRTIO_BALLOON_F_REPORTING (virtio spec 5.5.3)
# The smallest block the kernel reports (mm/page_reporting.c). Kernels that take an order above
# the largest the buddy allocator has (MAX_PAGE_ORDER; this project's VM takes one in this file)
# then report nothing; recent upstream kernels refuse such a value and keep reporting.
REPORTING_ORDER = os.path.join("module", "page_reporting", "parameters", "page_reporting_order")


def reports_free_pages(device_id: str, features: str) -> bool:
    """Whether one virtio device, as sysfs shows it (``device``: "0x0005"; ``features``: one
    '0'/'1' per feature bit, bit 0 first), is a balloon that reports free pages."""
    try:
        is_balloon = int(device_id.strip(), 0) == BALLOON_DEVICE_ID
    except ValueError:
        return False
    bits = features.strip()
    return is_balloon and len(bits) > REPORTING_FEATURE_BIT and bits[REPORTING_FEATURE_BIT] == "1"


def max_page_order(buddyinfo: str) -> int | None:
    """The largest block order of the buddy allocator, from ``/proc/buddyinfo`` (one free count
    per order after "Node N, zone NAME"); None when it shows no zone."""
    counts = [len(line.split()) - 4 for line in buddyinfo.splitlines() if line.startswith("Node")]
    return max(counts) - 1 if counts and max(counts) > 0 else None


def reporting_order_enabled(order: str, max_order: int | None) -> bool:
    """Whether the kernel reports free blocks at ``order`` (the ``page_reporting_order``
    parameter as sysfs shows it): off when it is above ``max_order``; on where either is unknown."""
    try:
        value = int(order.strip())
    except ValueError:
        return True
    return max_order is None or value <= max_order


def free_page_reporting(sys_root: str = "/sys", proc_root: str = "/proc") -> bool:
    """Whether this machine hands free memory back to a hypervisor: a bound virtio balloon driver
    that negotiated free page reporting, and a kernel whose ``page_reporting_order`` has not
    turned it off. False where sysfs cannot tell of a balloon."""
    if not _reporting_balloon(sys_root):
        return False
    order = _read(os.path.join(sys_root, REPORTING_ORDER))
    if order is None:
        return True  # a kernel without the parameter reports from its built-in order
    buddyinfo = _read(os.path.join(proc_root, "buddyinfo"))
    return reporting_order_enabled(order, None if buddyinfo is None else max_page_order(buddyinfo))


def _read(path: str) -> str | None:
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return None


def _reporting_balloon(sys_root: str) -> bool:
    devices = os.path.join(sys_root, "bus", "virtio", "devices")
    try:
        names = sorted(os.listdir(devices))
    except OSError:
        return False
    for name in names:
        path = os.path.join(devices, name)
        if not os.path.exists(os.path.join(path, "driver")):
            continue  # no driver bound: nothing is reported
        try:
            with open(os.path.join(path, "device")) as d, open(os.path.join(path, "features")) as f:
                if reports_free_pages(d.read(), f.read()):
                    return True
        except OSError:
            continue
    return False


@functools.lru_cache(maxsize=1)
def this_machine_reports_free_pages() -> bool:
    """``free_page_reporting()`` of this process's machine, read once."""
    return free_page_reporting()
