"""Answer prime-counting queries with one sieve of Eratosthenes."""
import sys


def sieve(limit):
    """Return a bytearray where index i is 1 exactly when i is prime."""
    is_prime = bytearray([1]) * (limit + 1)
    is_prime[0] = is_prime[1] = 0
    for p in range(2, int(limit ** 0.5) + 1):
        if is_prime[p]:
            is_prime[p * p :: p] = bytes(len(range(p * p, limit + 1, p)))
    return is_prime


def count_primes_up_to(queries):
    """Map each distinct query n to pi(n), sweeping the sieve once in order."""
    is_prime = sieve(max(queries))
    counts, running, previous = {}, 0, 0
    for n in sorted(set(queries)):
        running += is_prime.count(1, previous, n + 1)
        counts[n], previous = running, n + 1
    return counts


def main():
    data = sys.stdin.read().split()
    queries = [eval(token) for token in data[1 : 1 + eval(data[0])]]
    counts = count_primes_up_to(queries)
    sys.stdout.write("".join(f"{counts[n]}\n" for n in queries))


if __name__ == "__main__":
    main()
