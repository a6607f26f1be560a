# Most frequent words: count with a hash, then sort by (-count, word).
# The first line is evaluated so that inputs like "2*5" also work.

first_line, body = $stdin.read.split("\n", 2)
k = eval(first_line)
ranked = body.to_s.split.tally.sort_by { |word, count| [-count, word] }.first(k)
$stdout.write(ranked.map { |word, count| "#{word} #{count}" }.join("\n") << "\n")
