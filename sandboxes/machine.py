"""Facts about the measuring machine that change what a CPU-time measurement means.

Free page reporting: a virtual machine whose balloon device reports free pages
(``VIRTIO_BALLOON_F_REPORTING``, Firecracker's and QEMU's ``free-page-reporting``) hands memory
that stays free for a moment back to its host; the next program to touch that memory pays a
host page fault per page, inside its own CPU time. A Go program that ran in 0.05 s took
0.24-0.32 s on its first run after 10 s idle on such a VM (docs/benchmarks.md). The warm-up
run (``--exec_warmup``) absorbs that cold first run; what is left moves the efficiency labels
of memory-heavy programs near the threshold, so a run records where it was measured (the
``execute.executed_free_page_reporting`` counter) and says so in its report and card.
"""
from __future__ import annotations

import functools
import os

BALLOON_DEVICE_ID = 5  # virtio device id of the memory balloon (virtio spec 5.5)
REPORTING_FEATURE_BIT = 5  # VIRTIO_BALLOON_F_REPORTING (virtio spec 5.5.3)


def reports_free_pages(device_id: str, features: str) -> bool:
    """Whether one virtio device, as sysfs shows it (``device``: "0x0005"; ``features``: one
    '0'/'1' per feature bit, bit 0 first), is a balloon that reports free pages."""
    try:
        is_balloon = int(device_id.strip(), 0) == BALLOON_DEVICE_ID
    except ValueError:
        return False
    bits = features.strip()
    return is_balloon and len(bits) > REPORTING_FEATURE_BIT and bits[REPORTING_FEATURE_BIT] == "1"


def free_page_reporting(sys_root: str = "/sys") -> bool:
    """Whether this machine hands free memory back to a hypervisor (a bound virtio balloon
    driver that negotiated free page reporting). False where sysfs cannot tell."""
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
