'use strict';
// Word statistics over stdin: frequencies and a short summary.
const readline = require('readline');

const STOP_WORDS = new Set(['the', 'a', 'an', 'and', 'or', 'of', 'to', 'in']);

function tokenize(line) {
  return (line.toLowerCase().match(/[a-z']+/g) || []).filter((w) => w.length > 1 || w === 'a');
}

function countWords(lines, keepStopWords) {
  const counts = new Map();
  for (const line of lines) {
    for (const word of tokenize(line)) {
      if (!keepStopWords && STOP_WORDS.has(word)) {
        continue;
      }
      counts.set(word, (counts.get(word) || 0) + 1);
    }
  }
  return counts;
}

function top(counts, n) {
  return [...counts.entries()]
    .sort((a, b) => (b[1] - a[1]) || (a[0] < b[0] ? -1 : 1))
    .slice(0, n);
}

function summary(counts) {
  let total = 0;
  let longest = '';
  counts.forEach((count, word) => {
    total += count;
    if (word.length > longest.length) {
      longest = word;
    }
  });
  return total === 0 ? 'empty' : `${total} words, longest ${longest}`;
}

function main() {
  const lines = [];
  const rl = readline.createInterface({ input: process.stdin });
  rl.on('line', (line) => lines.push(line));
  rl.on('close', () => {
    const counts = countWords(lines, process.argv.includes('--all'));
    for (const [word, count] of top(counts, 10)) {
      console.log(`${String(count).padStart(6)} ${word}`);
    }
    console.log(summary(counts));
  });
}

main();
