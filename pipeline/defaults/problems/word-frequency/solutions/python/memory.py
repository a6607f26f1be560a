"""Most frequent words: open-addressing table given generous headroom up front."""
import sys

# Slots per input word (rounded up to a power of two), so the table never grows.
HEADROOM = 80


def count_words(words):
    """Return {word: count} built through a preallocated open-addressing table."""
    size = (1 << len(words).bit_length()) * HEADROOM
    keys = [None] * size
    counts = [0] * size
    used = []
    for word in words:
        slot = hash(word) % size
        while keys[slot] is not None and keys[slot] != word:
            slot = (slot + 1) % size
        if keys[slot] is None:
            keys[slot] = word
            used.append(slot)
        counts[slot] += 1
    return {keys[i]: counts[i] for i in used}


def main():
    tokens = sys.stdin.read().split()
    k = int(tokens[0])
    ranked = sorted(count_words(tokens[1:]).items(), key=lambda item: (-item[1], item[0]))
    sys.stdout.write('\n'.join(f'{word} {count}' for word, count in ranked[:k]) + '\n')


if __name__ == '__main__':
    main()
