'use strict';
// Most frequent words, naive: collect the distinct words with a linear search,
// then count each one by filtering the whole text again.
const fs = require('fs');

function main() {
  const tokens = fs.readFileSync(0, 'latin1').split(/\s+/).filter(Boolean);
  const k = Number(tokens[0]);
  const words = tokens.slice(1);
  const distinct = [];
  for (const word of words) {
    if (!distinct.includes(word)) {
      distinct.push(word);
    }
  }
  const entries = distinct.map((word) => [word, words.filter((w) => w === word).length]);
  entries.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const lines = entries.slice(0, k).map(([word, count]) => `${word} ${count}`);
  process.stdout.write(lines.join('\n') + '\n');
}

main();
