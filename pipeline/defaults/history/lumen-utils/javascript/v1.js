'use strict';

const db = require('./db');

// Number of pages needed to show `total` rows, `perPage` at a time.
function pageCount(total, perPage) {
  return Math.ceil(total / perPage);
}

// Names that occur more than once, each reported once.
function findDuplicates(names) {
  const dups = [];
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      if (names[i] === names[j] && dups.indexOf(names[i]) === -1) {
        dups.push(names[i]);
      }
    }
  }
  return dups;
}

// Sum of the numeric values of `key` over all rows.
function sumColumn(rows, key) {
  const values = rows.map((row) => row[key]);
  const numbers = values.filter((v) => typeof v === 'number');
  return numbers.reduce((acc, v) => acc + v, 0);
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
