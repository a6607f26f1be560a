"""Free page reporting is read from sysfs as the kernel shows it, and a run says where it measured."""
from __future__ import annotations

import pytest

from pipeline.manifest import measurement_lines
from sandboxes.machine import free_page_reporting, max_page_order, reporting_order_enabled, reports_free_pages

# Feature strings as /sys/bus/virtio/devices/*/features shows them (bit 0 first); the first is
# the balloon of a Firecracker VM with free page reporting (bits 1 stats, 2 deflate-on-OOM, 5
# reporting, 32 VERSION_1), the second the same balloon without reporting.
REPORTING = "0110010100000000000000000000000010000000000000000000000000000000"
NOT_REPORTING = "0110000000000000000000000000000010000000000000000000000000000000"


def _device(root, name: str, device_id: str, features: str, bound: bool = True) -> None:
    d = root / "bus" / "virtio" / "devices" / name
    d.mkdir(parents=True)
    (d / "device").write_text(device_id + "\n")
    (d / "features").write_text(features + "\n")
    if bound:
        driver = root / "bus" / "virtio" / "drivers" / "virtio_balloon"
        driver.mkdir(parents=True, exist_ok=True)
        (d / "driver").symlink_to(driver)


@pytest.mark.parametrize("device_id, features, expected", [
    ("0x0005", REPORTING, True),
    ("0x0005", NOT_REPORTING, False),
    ("0x0002", REPORTING, False),  # a block device: bit 5 means something else there
    ("0x0005", "01100", False),  # too short to carry the bit
    ("balloon", REPORTING, False),
])
def test_a_balloon_reports_free_pages_only_with_feature_bit_5(device_id, features, expected):
    assert reports_free_pages(device_id, features) is expected


def test_the_machine_reports_free_pages_when_a_bound_balloon_negotiated_it(tmp_path):
    _device(tmp_path, "virtio0", "0x0002", REPORTING)  # a disk first: not counted
    assert free_page_reporting(str(tmp_path)) is False
    _device(tmp_path, "virtio1", "0x0005", REPORTING)
    assert free_page_reporting(str(tmp_path)) is True


def test_an_unbound_or_plain_balloon_or_no_virtio_bus_is_not_reporting(tmp_path):
    assert free_page_reporting(str(tmp_path / "absent")) is False
    _device(tmp_path, "virtio0", "0x0005", REPORTING, bound=False)
    _device(tmp_path, "virtio1", "0x0005", NOT_REPORTING)
    assert free_page_reporting(str(tmp_path)) is False


# /proc/buddyinfo of this project's 2-core VM: orders 0-10 (MAX_PAGE_ORDER 10).
BUDDYINFO = """Node 0, zone      DMA      0      0      0      0      0      0      0      0      1      1      3
Node 0, zone    DMA32      1      2      2      2      1      2      0      3      3      1    753
Node 0, zone   Normal  36813  31647  21996  23635  14364   8721   6265   3199   3070    961   1423
"""


def test_the_largest_block_order_is_read_from_buddyinfo():
    assert max_page_order(BUDDYINFO) == 10
    assert max_page_order("") is None


@pytest.mark.parametrize("order, max_order, expected", [
    ("9\n", 10, True),  # what this VM's init sets: 2 MB blocks reported
    ("10\n", 10, True),
    ("11\n", 10, False),  # the kernel command line's page_reporting.page_reporting_order=11: off
    ("11\n", None, True),  # the largest order unknown: assume it reports
    ("", 10, True),
])
def test_an_order_above_the_largest_block_turns_reporting_off(order, max_order, expected):
    assert reporting_order_enabled(order, max_order) is expected


def test_a_reporting_balloon_counts_only_while_the_kernel_reports(tmp_path):
    sys_root, proc_root = tmp_path / "sys", tmp_path / "proc"
    _device(sys_root, "virtio0", "0x0005", REPORTING)
    proc_root.mkdir()
    (proc_root / "buddyinfo").write_text(BUDDYINFO)
    assert free_page_reporting(str(sys_root), str(proc_root)) is True  # no parameter: built-in order
    param = sys_root / "module" / "page_reporting" / "parameters"
    param.mkdir(parents=True)
    (param / "page_reporting_order").write_text("9\n")
    assert free_page_reporting(str(sys_root), str(proc_root)) is True
    (param / "page_reporting_order").write_text("11\n")
    assert free_page_reporting(str(sys_root), str(proc_root)) is False


def test_the_card_warns_only_when_programs_were_measured_on_such_a_machine():
    lines = measurement_lines({"execute.executed": 211, "execute.executed_free_page_reporting": 211})
    assert lines[0].startswith("211 of 211 programs were measured on a virtual machine with free page reporting")
    assert measurement_lines({"execute.executed": 211}) == []
    assert measurement_lines({"execute.cache_hit": 211}) == []
