'use strict';
// Inventory helpers: parsing, classification and reorder suggestions.
const fs = require('fs');

function parseLine(line) {
  const parts = line.split(',');
  if (parts.length < 3 || parts[0] === '') {
    return null;
  }
  const quantity = Number.parseInt(parts[1], 10);
  const level = Number.parseInt(parts[2], 10);
  return { sku: parts[0], quantity: isNaN(quantity) ? 0 : quantity, level: level || 0 };
}

function loadItems(path) {
  const items = [];
  for (const line of fs.readFileSync(path, 'utf8').split('\n')) {
    const item = parseLine(line.trim());
    if (item) {
      items.push(item);
    }
  }
  return items;
}

function classify(item) {
  if (item.quantity === 0) {
    return 'out';
  } else if (item.quantity <= item.level) {
    return 'low';
  } else if (item.quantity > 10 * item.level || item.level === 0) {
    return 'excess';
  }
  return 'ok';
}

const reorderQuantity = (item, pending = 0) => {
  const target = item.level * 2;
  const shortfall = target - item.quantity - pending;
  return shortfall > 0 && item.level > 0 ? shortfall : 0;
};

class Report {
  constructor(items) {
    this.items = items;
  }

  counts() {
    const result = {};
    this.items.forEach((item) => {
      const label = classify(item);
      result[label] = (result[label] || 0) + 1;
    });
    return result;
  }

  describe(code) {
    switch (code) {
      case 0:
        return 'none';
      case 1:
        return 'single';
      default:
        return 'many';
    }
  }

  render() {
    const lines = [];
    let i = 0;
    while (i < this.items.length) {
      const item = this.items[i];
      try {
        lines.push(`${item.sku}: ${classify(item)} (${reorderQuantity(item)})`);
      } catch (err) {
        lines.push(`${item.sku}: error`);
      }
      i += 1;
    }
    return lines.join('\n');
  }
}

module.exports = { parseLine, loadItems, classify, reorderQuantity, Report };
