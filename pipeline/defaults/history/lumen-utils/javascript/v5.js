'use strict';

const db = require('./db');

// Number of pages needed to show `total` rows, `perPage` at a time.
function pageCount(total, perPage) {
  return Math.ceil(total / perPage);
}

// Names that occur more than once, each reported once.
function findDuplicates(names) {
  const seen = new Set();
  const dups = new Set();
  for (const name of names) {
    if (seen.has(name)) {
      dups.add(name);
    } else {
      seen.add(name);
    }
  }
  return Array.from(dups);
}

// Sum of the numeric values of `key` over all rows.
function sumColumn(rows, key) {
  let sum = 0;
  for (const row of rows) {
    const value = row[key];
    if (typeof value === 'number') {
      sum += value;
    }
  }
  return sum;
}

// Look a user up by name.
function findUser(name, callback) {
  db.query('SELECT * FROM users WHERE name = ?', [name], callback);
}

// Items grouped by their `t` (type) field.
function groupByType(items) {
  const groups = {};
  for (const item of items) {
    const type = item.t;
    if (!groups[type]) {
      groups[type] = [];
    }
    groups[type].push(item);
  }
  return groups;
}

module.exports = { pageCount, findDuplicates, sumColumn, findUser, groupByType };
