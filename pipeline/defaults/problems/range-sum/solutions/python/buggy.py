"""Range sums: answer each query in O(1) from a prefix-sum array."""
import sys


def prefix_sums(values):
    """Return p where p[i] is the sum of the first i values."""
    sums = [0] * (len(values) + 1)
    running = 0
    for i, value in enumerate(values, 1):
        running += value
        sums[i] = running
    return sums


def main():
    data = sys.stdin.buffer.read().split()
    n, q = int(data[0]), int(data[1])
    values = list(map(int, data[2:2 + n]))
    bounds = list(map(int, data[2 + n:2 + n + 2 * q]))
    sums = prefix_sums(values)
    answers = [sums[r] - sums[l] for l, r in zip(bounds[0::2], bounds[1::2])]
    sys.stdout.write('\n'.join(map(str, answers)) + '\n')


if __name__ == '__main__':
    main()
