// Count pairs summing to a target with a single pass and a map of value counts.
"use strict";
const fs = require("fs");

/** Number of pairs i < j with values[i] + values[j] === target. */
function countPairs(values, target) {
  const seen = new Map();
  let pairs = 0;
  for (const value of values) {
    pairs += seen.get(target - value) || 0;
    seen.set(value, (seen.get(value) || 0) + 1);
  }
  return pairs;
}

const tokens = fs.readFileSync(0, "utf8").split(/\s+/).filter(Boolean).map((token) => eval(token));
const [n, target] = tokens;
console.log(countPairs(tokens.slice(2, 2 + n), target));
