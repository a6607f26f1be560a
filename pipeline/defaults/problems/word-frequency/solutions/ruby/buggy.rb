# Most frequent words: count with a hash, then sort by (-count, word).

# Returns [word, count] pairs for the k most frequent words, ties alphabetical.
def top_words(words, k)
  words.tally.sort_by { |word, count| [-count, word] }.first(k - 1)
end

tokens = $stdin.read.split
k = tokens.shift.to_i
lines = top_words(tokens, k).map { |word, count| "#{word} #{count}" }
$stdout.write(lines.join("\n") << "\n")
