'use strict';

const fs = require('fs');
const readline = require('readline');

// The last `count` items of the list.
function lastItems(list, count) {
  return list.slice(Math.max(0, list.length - count));
}

// Occurrences of each word, in first-seen order.
function countWords(words) {
  const counts = new Map();
  for (const word of words) {
    counts.set(word, (counts.get(word) || 0) + 1);
  }
  return Array.from(counts, ([word, count]) => ({ word, count }));
}

// Total bytes served according to an access log ("path bytes" per line).
async function totalBytes(path) {
  const lines = readline.createInterface({ input: fs.createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let sum = 0;
  for await (const line of lines) {
    if (line) {
      sum += Number(line.split(' ')[1]);
    }
  }
  return sum;
}

// Evaluate a property path such as "owner.name" on an item.
function applyFilter(expr, item) {
  return expr.split('.').reduce((value, key) => {
    if (value === null || value === undefined || !Object.prototype.hasOwnProperty.call(value, key)) {
      return undefined;
    }
    return value[key];
  }, item);
}

function t(o){var r=[];for(var k in o){if(o.hasOwnProperty(k)){if(o[k]!==null){r.push(k+'='+o[k]);}}}return r.join('&');}

module.exports = { lastItems, countWords, totalBytes, applyFilter, t };
