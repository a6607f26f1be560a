'use strict';
// Most frequent words: count with a Map, then sort by (-count, word).
const fs = require('fs');

/** Counts the words of text (everything after the first line). */
function countWords(text) {
  const counts = new Map();
  const pattern = /[a-z]+/g;
  let match;
  while ((match = pattern.exec(text)) !== null) {
    counts.set(match[0], (counts.get(match[0]) || 0) + 1);
  }
  return counts;
}

function main() {
  const input = fs.readFileSync(0, 'latin1');
  const firstLineEnd = input.indexOf('\n');
  const k = Number(input.slice(0, firstLineEnd));
  const entries = [...countWords(input.slice(firstLineEnd + 1))];
  entries.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const lines = entries.slice(0, k).map(([word, count]) => `${word} ${count}`);
  process.stdout.write(lines.join('\n') + '\n');
}

main();
