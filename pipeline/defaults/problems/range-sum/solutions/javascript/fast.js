'use strict';
// Range sums: answer each query in O(1) from a prefix-sum array.
// Prefix sums stay below 2^53 (n * 10^9 <= 10^14), so plain numbers are exact.
const fs = require('fs');

/** Returns a function yielding the successive integers of a byte buffer. */
function integerReader(bytes) {
  let pos = 0;
  return function next() {
    while (bytes[pos] === 32 || bytes[pos] === 10 || bytes[pos] === 13) pos++;
    const negative = bytes[pos] === 45;
    if (negative) pos++;
    let value = 0;
    while (bytes[pos] >= 48 && bytes[pos] <= 57) {
      value = value * 10 + (bytes[pos] - 48);
      pos++;
    }
    return negative ? -value : value;
  };
}

function main() {
  const next = integerReader(fs.readFileSync(0));
  const n = next();
  const q = next();
  const sums = new Float64Array(n + 1);
  for (let i = 1; i <= n; i++) {
    sums[i] = sums[i - 1] + next();
  }
  const answers = new Array(q);
  for (let i = 0; i < q; i++) {
    const left = next();
    const right = next();
    answers[i] = sums[right] - sums[left - 1];
  }
  process.stdout.write(answers.join('\n') + '\n');
}

main();
