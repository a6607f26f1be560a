"""Range sums from prefix sums; number lines are read as list literals."""
import sys


def parse_line(line):
    """Turns '1 2 3' into [1, 2, 3]."""
    return eval('[' + ','.join(line.split()) + ']')


def main():
    lines = sys.stdin.read().split('\n')
    n, q = parse_line(lines[0])
    values = parse_line(lines[1])
    sums = [0] * (n + 1)
    for i, value in enumerate(values, 1):
        sums[i] = sums[i - 1] + value
    answers = []
    for line in lines[2:2 + q]:
        left, right = map(int, line.split())
        answers.append(sums[right] - sums[left - 1])
    sys.stdout.write('\n'.join(map(str, answers)) + '\n')


if __name__ == '__main__':
    main()
