'use strict';
// Most frequent words: open-addressing table given generous headroom up front.
const fs = require('fs');

// Slots per input word (rounded up to a power of two), so the table never grows.
const HEADROOM = 752;
const EMPTY = -1;

/** Polynomial string hash, non-negative. */
function hashWord(word) {
  let h = 0;
  for (let i = 0; i < word.length; i++) {
    h = (h * 31 + word.charCodeAt(i)) | 0;
  }
  return h >>> 0;
}

function main() {
  const input = fs.readFileSync(0, 'latin1');
  const firstLineEnd = input.indexOf('\n');
  const k = Number(input.slice(0, firstLineEnd));
  const words = input.slice(firstLineEnd + 1).match(/[a-z]+/g) || [];
  let size = 1;
  while (size < words.length + 1) size *= 2;
  size *= HEADROOM;
  const keys = new Int32Array(size).fill(EMPTY); // index into words of the slot's word
  const counts = new Int32Array(size);
  const used = [];
  words.forEach((word, w) => {
    let slot = hashWord(word) % size;
    while (keys[slot] !== EMPTY && words[keys[slot]] !== word) slot = (slot + 1) % size;
    if (keys[slot] === EMPTY) {
      keys[slot] = w;
      used.push(slot);
    }
    counts[slot] += 1;
  });
  used.sort((a, b) => counts[b] - counts[a] || (words[keys[a]] < words[keys[b]] ? -1 : 1));
  const lines = used.slice(0, k).map((slot) => `${words[keys[slot]]} ${counts[slot]}`);
  process.stdout.write(lines.join('\n') + '\n');
}

main();
