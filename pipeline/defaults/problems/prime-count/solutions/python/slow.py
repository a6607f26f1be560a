"""Answer prime-counting queries by re-sieving from scratch for every query."""
import sys


def count_primes(n):
    """Count primes <= n with a fresh sieve of Eratosthenes."""
    if n < 2:
        return 0
    is_prime = [True] * (n + 1)
    is_prime[0] = is_prime[1] = False
    for p in range(2, int(n ** 0.5) + 1):
        if is_prime[p]:
            is_prime[p * p :: p] = [False] * len(range(p * p, n + 1, p))
    return sum(is_prime)


def main():
    data = sys.stdin.read().split()
    queries = [int(token) for token in data[1 : 1 + int(data[0])]]
    for n in queries:
        print(count_primes(n))


if __name__ == "__main__":
    main()
