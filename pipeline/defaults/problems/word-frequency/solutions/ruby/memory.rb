# Most frequent words: open-addressing table given generous headroom up front.

# Slots per input word (rounded up to a power of two), so the table never grows.
HEADROOM = 80

# Returns {word => count} built through a preallocated open-addressing table.
def count_words(words)
  size = (1 << words.size.bit_length) * HEADROOM
  keys = Array.new(size)
  counts = Array.new(size, 0)
  used = []
  words.each do |word|
    slot = word.hash % size
    slot = (slot + 1) % size until keys[slot].nil? || keys[slot] == word
    used << slot if keys[slot].nil?
    keys[slot] = word
    counts[slot] += 1
  end
  used.to_h { |i| [keys[i], counts[i]] }
end

tokens = $stdin.read.split
k = tokens.shift.to_i
ranked = count_words(tokens).sort_by { |word, count| [-count, word] }.first(k)
$stdout.write(ranked.map { |word, count| "#{word} #{count}" }.join("\n") << "\n")
