'use strict';
// Range sums, naive: keeps the numbers as text and parses the range on every query.
const fs = require('fs');

/** Sum of tokens[first .. last], parsed on the fly. */
function rangeSum(tokens, first, last) {
  let total = 0;
  for (let i = first; i <= last; i++) {
    total += Number(tokens[i]);
  }
  return total;
}

function main() {
  const tokens = fs.readFileSync(0, 'latin1').split(/\s+/);
  const n = Number(tokens[0]);
  const q = Number(tokens[1]);
  const answers = [];
  for (let i = 0; i < q; i++) {
    const left = Number(tokens[n + 2 + 2 * i]);
    const right = Number(tokens[n + 3 + 2 * i]);
    answers.push(rangeSum(tokens, left + 1, right + 1));
  }
  process.stdout.write(answers.join('\n') + '\n');
}

main();
