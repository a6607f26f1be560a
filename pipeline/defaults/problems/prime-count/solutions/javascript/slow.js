// Count primes for each query from scratch by trial division with the primes found so far.
"use strict";
const fs = require("fs");

function isPrimeGiven(primes, candidate) {
  for (const p of primes) {
    if (p * p > candidate) return true;
    if (candidate % p === 0) return false;
  }
  return true;
}

function countPrimes(n) {
  const primes = [];
  for (let candidate = 2; candidate <= n; candidate++) {
    if (isPrimeGiven(primes, candidate)) primes.push(candidate);
  }
  return primes.length;
}

const tokens = fs.readFileSync(0, "utf8").split(/\s+/).filter(Boolean).map(Number);
const queries = tokens.slice(1, 1 + tokens[0]);
console.log(queries.map(countPrimes).join("\n"));
