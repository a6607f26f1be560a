"""Inventory bookkeeping: stock levels, reorder suggestions and a small report."""
import csv
import sys
from collections import defaultdict
from dataclasses import dataclass


@dataclass
class Item:
    sku: str
    name: str
    quantity: int
    reorder_level: int
    unit_cost: float


def load_items(path):
    """Read items from a CSV file, skipping malformed rows."""
    items = []
    with open(path, newline="") as handle:
        for row in csv.DictReader(handle):
            try:
                items.append(Item(row["sku"], row["name"], int(row["quantity"]),
                                  int(row["reorder_level"]), float(row["unit_cost"])))
            except (KeyError, ValueError):
                continue
    return items


def needs_reorder(item, pending=0):
    # Pending orders count toward stock so we do not order twice.
    return item.quantity + pending <= item.reorder_level and item.reorder_level > 0


def reorder_quantity(item, pending=0):
    if not needs_reorder(item, pending):
        return 0
    target = item.reorder_level * 2
    shortfall = target - item.quantity - pending
    return shortfall if shortfall > 0 else 0


def group_by_prefix(items, width=3):
    groups = defaultdict(list)
    for item in items:
        prefix = item.sku[:width] if len(item.sku) >= width else item.sku
        groups[prefix].append(item)
    return groups


def stock_value(items):
    total = 0.0
    for item in items:
        if item.quantity < 0:
            raise ValueError(f"negative stock for {item.sku}")
        total += item.quantity * item.unit_cost
    return total


def classify(item):
    if item.quantity == 0:
        return "out"
    elif item.quantity <= item.reorder_level:
        return "low"
    elif item.quantity > 10 * item.reorder_level or item.unit_cost > 1000:
        return "excess"
    return "ok"


def report(items, out=sys.stdout):
    by_class = defaultdict(int)
    for item in items:
        by_class[classify(item)] += 1
    for label in sorted(by_class):
        out.write(f"{label}: {by_class[label]}\n")
    suggestions = [(i.sku, reorder_quantity(i)) for i in items if needs_reorder(i)]
    while suggestions:
        sku, qty = suggestions.pop()
        out.write(f"reorder {sku} x{qty}\n")
    return len(items)


if __name__ == "__main__":
    report(load_items(sys.argv[1]))
