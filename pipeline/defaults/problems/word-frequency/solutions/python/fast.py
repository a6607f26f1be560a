"""Most frequent words: count with a dict, then sort by (-count, word)."""
import sys
from collections import Counter


def top_words(words, k):
    """Return the k (word, count) pairs with the highest counts, ties alphabetical."""
    counts = Counter(words)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:k]


def main():
    tokens = sys.stdin.read().split()
    k = int(tokens[0])
    lines = [f'{word} {count}' for word, count in top_words(tokens[1:], k)]
    sys.stdout.write('\n'.join(lines) + '\n')


if __name__ == '__main__':
    main()
