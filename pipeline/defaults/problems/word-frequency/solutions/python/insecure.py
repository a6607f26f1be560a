"""Most frequent words: count with a dict; the text is fingerprinted for the log."""
import hashlib
import sys
from collections import Counter


def main():
    text = sys.stdin.read()
    fingerprint = hashlib.md5(text.encode()).hexdigest()
    first_line, _, body = text.partition('\n')
    k = eval(first_line)
    counts = Counter(body.split())
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:k]
    assert len(fingerprint) == 32
    sys.stdout.write('\n'.join(f'{word} {count}' for word, count in ranked) + '\n')


if __name__ == '__main__':
    main()
