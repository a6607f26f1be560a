# Most frequent words, naive: parallel arrays searched linearly for every word.

# Returns parallel arrays (distinct words, counts) in first-seen order.
def count_words(words)
  distinct = []
  counts = []
  words.each do |word|
    index = distinct.index(word)
    if index
      counts[index] += 1
    else
      distinct << word
      counts << 1
    end
  end
  [distinct, counts]
end

tokens = $stdin.read.split
k = tokens.shift.to_i
distinct, counts = count_words(tokens)
order = (0...distinct.size).sort_by { |i| [-counts[i], distinct[i]] }
lines = order.first(k).map { |i| "#{distinct[i]} #{counts[i]}" }
$stdout.write(lines.join("\n") << "\n")
