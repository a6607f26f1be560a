"""Range sums with a prefix table given generous headroom up front."""
import sys

# The table holds HEADROOM times n (rounded up to a power of two) entries,
# so it never has to grow.
HEADROOM = 384


def table_capacity(n):
    """Power of two >= n, times HEADROOM."""
    return (1 << max(n - 1, 0).bit_length()) * HEADROOM


def main():
    data = sys.stdin.buffer.read().split()
    n, q = int(data[0]), int(data[1])
    sums = [0] * (table_capacity(n) + 1)
    running = 0
    for i, token in enumerate(data[2:2 + n], 1):
        running += int(token)
        sums[i] = running
    bounds = list(map(int, data[2 + n:2 + n + 2 * q]))
    answers = [sums[r] - sums[l - 1] for l, r in zip(bounds[0::2], bounds[1::2])]
    sys.stdout.write('\n'.join(map(str, answers)) + '\n')


if __name__ == '__main__':
    main()
