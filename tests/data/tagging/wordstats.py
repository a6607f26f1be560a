"""Word statistics over a text stream: frequencies, n-grams and a summary."""
import re
import sys
from collections import Counter

WORD = re.compile(r"[A-Za-z']+")
STOP_WORDS = frozenset({"the", "a", "an", "and", "or", "of", "to", "in"})


class WordStats:
    def __init__(self, keep_stop_words=False):
        self.counts = Counter()
        self.bigrams = Counter()
        self.keep_stop_words = keep_stop_words
        self.lines = 0

    def _accept(self, word):
        return self.keep_stop_words or word not in STOP_WORDS

    def feed(self, line):
        self.lines += 1
        words = [w.lower() for w in WORD.findall(line) if len(w) > 1 or w in "aI"]
        previous = None
        for word in words:
            if not self._accept(word):
                previous = None
                continue
            self.counts[word] += 1
            if previous is not None:
                self.bigrams[(previous, word)] += 1
            previous = word

    def top(self, n=10):
        def key(item):
            word, count = item
            return (-count, word)
        return sorted(self.counts.items(), key=key)[:n]

    def summary(self):
        total = sum(self.counts.values())
        if total == 0:
            return "empty"
        longest = max(self.counts, key=len)
        try:
            ratio = len(self.counts) / total
        except ZeroDivisionError:
            ratio = 0.0
        finally:
            self.lines = max(self.lines, 1)
        return f"{total} words, {len(self.counts)} distinct, ratio {ratio:.2f}, longest {longest}"


def main(stream=sys.stdin):
    stats = WordStats(keep_stop_words="--all" in sys.argv)
    for line in stream:
        stats.feed(line)
    for word, count in stats.top():
        print(f"{count:6d} {word}")
    print(stats.summary())


if __name__ == "__main__":
    main()
