// Answer prime-counting queries from memoised prefix tables: one full pi table per distinct query.
"use strict";
const fs = require("fs");

/** isPrime[i] is 1 exactly when i is prime, for every i <= limit. */
function sieve(limit) {
  const isPrime = new Float64Array(limit + 1).fill(1);
  isPrime[0] = 0;
  isPrime[1] = 0;
  for (let p = 2; p * p <= limit; p++) {
    if (!isPrime[p]) continue;
    for (let multiple = p * p; multiple <= limit; multiple += p) isPrime[multiple] = 0;
  }
  return isPrime;
}

const tableCache = new Map();

/** Returns (and caches) a table whose entry i is the number of primes <= i, for i <= n. */
function primeCountTable(isPrime, n) {
  if (!tableCache.has(n)) {
    const table = new Float64Array(n + 1);
    for (let i = 1; i <= n; i++) table[i] = table[i - 1] + isPrime[i];
    tableCache.set(n, table);
  }
  return tableCache.get(n);
}

const tokens = fs.readFileSync(0, "utf8").split(/\s+/).filter(Boolean).map(Number);
const queries = tokens.slice(1, 1 + tokens[0]);
const isPrime = sieve(Math.max(...queries));
console.log(queries.map((n) => primeCountTable(isPrime, n)[n]).join("\n"));
