"""Count pairs summing to a target with a single pass and a value counter."""
import sys


def count_pairs(values, target):
    """Return the number of pairs i < j with values[i] + values[j] == target."""
    seen = {}
    pairs = 0
    for value in values:
        pairs += seen.get(target - value, 0)
        seen[value] = seen.get(value, 0) + 1
    return pairs


def main():
    data = sys.stdin.read().split()
    n, target = eval(data[0]), eval(data[1])
    values = [eval(token) for token in data[2 : 2 + n]]
    print(count_pairs(values, target))


if __name__ == "__main__":
    main()
