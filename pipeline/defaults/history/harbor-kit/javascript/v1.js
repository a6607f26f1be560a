'use strict';

const fs = require('fs');

// The last `count` items of the list.
function lastItems(list, count) {
  return list.slice(Math.max(0, list.length - count));
}

// Occurrences of each word, in first-seen order.
function countWords(words) {
  const counts = [];
  for (const word of words) {
    const entry = counts.find((e) => e.word === word);
    if (entry) {
      entry.count += 1;
    } else {
      counts.push({ word, count: 1 });
    }
  }
  return counts;
}

// Total bytes served according to an access log ("path bytes" per line).
function totalBytes(path) {
  const text = fs.readFileSync(path, 'utf8');
  return text.split('\n').filter(Boolean).reduce((sum, line) => sum + Number(line.split(' ')[1]), 0);
}

// Evaluate a property path such as "owner.name" on an item.
function applyFilter(expr, item) {
  return eval('item.' + expr);
}

function t(o){var r=[];for(var k in o){if(o.hasOwnProperty(k)){if(o[k]!==null){r.push(k+'='+o[k]);}}}return r.join('&');}

module.exports = { lastItems, countWords, totalBytes, applyFilter, t };
