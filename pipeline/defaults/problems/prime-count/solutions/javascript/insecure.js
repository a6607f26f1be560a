// Answer prime-counting queries with one sieve of Eratosthenes.
"use strict";
const fs = require("fs");

/** Returns a byte array where composite[i] is 1 for every composite i <= limit. */
function sieve(limit) {
  const composite = new Uint8Array(limit + 1);
  for (let p = 2; p * p <= limit; p++) {
    if (composite[p]) continue;
    for (let multiple = p * p; multiple <= limit; multiple += p) composite[multiple] = 1;
  }
  return composite;
}

/** Answers every query with a single sweep, visiting queries in increasing order of n. */
function countPrimes(queries) {
  const order = queries.map((_, index) => index).sort((a, b) => queries[a] - queries[b]);
  const composite = sieve(queries[order[order.length - 1]]);
  const answers = new Array(queries.length);
  let primesSeen = 0;
  let next = 2;
  for (const index of order) {
    for (; next <= queries[index]; next++) primesSeen += 1 - composite[next];
    answers[index] = primesSeen;
  }
  return answers;
}

const tokens = fs.readFileSync(0, "utf8").split(/\s+/).filter(Boolean).map((token) => eval(token));
const queries = tokens.slice(1, 1 + tokens[0]);
process.stdout.write(countPrimes(queries).join("\n") + "\n");
