// Count pairs summing to a target by comparing every element with every other one.
"use strict";
const fs = require("fs");

function countPairs(values, target) {
  let pairs = 0;
  for (const [i, first] of values.entries()) {
    for (const [j, second] of values.entries()) {
      if (j > i && first + second === target) pairs++;
    }
  }
  return pairs;
}

const tokens = fs.readFileSync(0, "utf8").split(/\s+/).filter(Boolean).map(Number);
const [n, target] = tokens;
console.log(countPairs(tokens.slice(2, 2 + n), target));
