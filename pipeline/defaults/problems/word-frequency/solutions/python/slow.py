"""Most frequent words, naive: parallel lists searched linearly for every word."""
import sys


def count_words(words):
    """Return parallel lists (distinct words, counts) in first-seen order."""
    distinct, counts = [], []
    for word in words:
        try:
            counts[distinct.index(word)] += 1
        except ValueError:
            distinct.append(word)
            counts.append(1)
    return distinct, counts


def main():
    tokens = sys.stdin.read().split()
    k = int(tokens[0])
    distinct, counts = count_words(tokens[1:])
    order = sorted(range(len(distinct)), key=lambda i: (-counts[i], distinct[i]))
    lines = [f'{distinct[i]} {counts[i]}' for i in order[:k]]
    sys.stdout.write('\n'.join(lines) + '\n')


if __name__ == '__main__':
    main()
