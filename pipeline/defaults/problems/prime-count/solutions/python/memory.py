"""Answer prime-counting queries from a precomputed table of pi(i) for every i."""
import sys
from itertools import accumulate


def prime_count_table(limit):
    """Return a list whose element i is the number of primes <= i."""
    is_prime = [1] * (limit + 1)
    is_prime[0] = is_prime[1] = 0
    for p in range(2, int(limit ** 0.5) + 1):
        if is_prime[p]:
            is_prime[p * p :: p] = [0] * len(range(p * p, limit + 1, p))
    return list(accumulate(is_prime))


def main():
    data = sys.stdin.read().split()
    queries = [int(token) for token in data[1 : 1 + int(data[0])]]
    table = prime_count_table(max(queries))
    print("\n".join(str(table[n]) for n in queries))


if __name__ == "__main__":
    main()
