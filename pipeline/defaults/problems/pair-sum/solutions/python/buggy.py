"""Count pairs summing to a target with a single pass and a value counter."""
import sys


def count_pairs(values, target):
    """Return the number of pairs i < j with values[i] + values[j] == target."""
    seen = {}
    pairs = 0
    for value in values:
        seen[value] = seen.get(value, 0) + 1
        pairs += seen.get(target - value, 0)
    return pairs


def main():
    data = sys.stdin.buffer.read().split()
    n, target = int(data[0]), int(data[1])
    values = [int(token) for token in data[2 : 2 + n]]
    print(count_pairs(values, target))


if __name__ == "__main__":
    main()
