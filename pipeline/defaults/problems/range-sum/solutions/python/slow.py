"""Range sums, naive: sums a fresh slice of the array for every query."""
import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, q = int(data[0]), int(data[1])
    values = list(map(int, data[2:2 + n]))
    bounds = list(map(int, data[2 + n:2 + n + 2 * q]))
    answers = []
    for i in range(q):
        left, right = bounds[2 * i], bounds[2 * i + 1]
        answers.append(sum(values[left - 1:right]))
    sys.stdout.write('\n'.join(map(str, answers)) + '\n')


if __name__ == '__main__':
    main()
