'use strict';
// Range sums with a prefix table given generous headroom up front.
const fs = require('fs');

// The table holds HEADROOM times n (rounded up to a power of two) entries,
// all filled, so it never has to grow.
const HEADROOM = 768;

function tableCapacity(n) {
  let size = 1;
  while (size < n) size *= 2;
  return size * HEADROOM;
}

function main() {
  const tokens = fs.readFileSync(0, 'latin1').split(/\s+/);
  const n = Number(tokens[0]);
  const q = Number(tokens[1]);
  const capacity = tableCapacity(n);
  const prefix = new Float64Array(capacity + 1);
  for (let i = 1; i <= capacity; i++) {
    const value = i <= n ? Number(tokens[i + 1]) : 0;
    prefix[i] = prefix[i - 1] + value;
  }
  const answers = new Array(q);
  for (let i = 0; i < q; i++) {
    const left = Number(tokens[n + 2 + 2 * i]);
    const right = Number(tokens[n + 3 + 2 * i]);
    answers[i] = prefix[right] - prefix[left - 1];
  }
  process.stdout.write(answers.join('\n') + '\n');
}

main();
