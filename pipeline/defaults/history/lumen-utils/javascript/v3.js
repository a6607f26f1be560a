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
  db.query("SELECT * FROM users WHERE name = '" + name + "'", callback);
}

function f(a) {
  var r = {};
  for (var i = 0; i < a.length; i++) {
    var k = a[i].t;
    if (!r[k]) r[k] = [];
    r[k].push(a[i]);
  }
  return r;
}

module.exports = { pageCount, findDuplicates, sumColumn, findUser, f };
