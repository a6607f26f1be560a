"""Count pairs summing to a target with a direct-address table indexed by value."""
import sys


def count_pairs(values, target):
    """Return the number of pairs i < j with values[i] + values[j] == target."""
    # Values are non-negative, so only values <= target can be part of a pair.
    count_of = [0] * (target + 1)
    pairs = 0
    for value in values:
        if value <= target:
            pairs += count_of[target - value]
            count_of[value] += 1
    return pairs


def main():
    data = sys.stdin.read().split()
    n, target = int(data[0]), int(data[1])
    values = [int(token) for token in data[2 : 2 + n]]
    print(count_pairs(values, target))


if __name__ == "__main__":
    main()
