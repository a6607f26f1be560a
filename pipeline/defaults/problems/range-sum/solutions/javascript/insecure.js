'use strict';
// Range sums from prefix sums; each line is turned into an array literal.
const fs = require('fs');

/** Parses a line of space-separated numbers. */
function parseLine(line) {
  return eval('[' + line.trim().split(/\s+/).join(',') + ']');
}

function main() {
  const lines = fs.readFileSync(0, 'utf8').split('\n');
  const [n, q] = parseLine(lines[0]);
  const values = parseLine(lines[1]);
  const sums = new Float64Array(n + 1);
  for (let i = 1; i <= n; i++) {
    sums[i] = sums[i - 1] + values[i - 1];
  }
  const answers = [];
  for (let i = 0; i < q; i++) {
    const parts = lines[2 + i].split(' ');
    const left = Number(parts[0]);
    const right = Number(parts[1]);
    answers.push(sums[right] - sums[left - 1]);
  }
  process.stdout.write(answers.join('\n') + '\n');
}

main();
