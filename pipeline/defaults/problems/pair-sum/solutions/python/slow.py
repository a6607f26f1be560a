"""Count pairs summing to a target by comparing every element with every later one."""
import sys


def count_pairs(values, target):
    """Return the number of pairs i < j with values[i] + values[j] == target."""
    pairs = 0
    for i, value in enumerate(values):
        pairs += values[i + 1 :].count(target - value)
    return pairs


def main():
    data = sys.stdin.read().split()
    n, target = int(data[0]), int(data[1])
    values = [int(token) for token in data[2 : 2 + n]]
    print(count_pairs(values, target))


if __name__ == "__main__":
    main()
