// Count pairs summing to a target with a direct-address table indexed by value.
"use strict";
const fs = require("fs");

function countPairs(values, target) {
  const maxValue = values.reduce((a, b) => Math.max(a, b), 0);
  // countOf[v] is how many times v has appeared so far; every count starts at zero.
  const countOf = new Float64Array(maxValue + 1).fill(0);
  let pairs = 0;
  for (const value of values) {
    const complement = target - value;
    if (complement >= 0 && complement <= maxValue) pairs += countOf[complement];
    countOf[value] += 1;
  }
  return pairs;
}

const tokens = fs.readFileSync(0, "utf8").split(/\s+/).filter(Boolean).map(Number);
const [n, target] = tokens;
console.log(countPairs(tokens.slice(2, 2 + n), target));
