# Word statistics over standard input: frequencies and a short summary.
class WordStats
  STOP_WORDS = %w[the a an and or of to in].freeze

  attr_reader :counts, :lines

  def initialize(keep_stop_words: false)
    @counts = Hash.new(0)
    @keep_stop_words = keep_stop_words
    @lines = 0
  end

  def feed(line)
    @lines += 1
    line.downcase.scan(/[a-z']+/).each do |word|
      next if word.length < 2 && word != 'a'
      next if !@keep_stop_words && STOP_WORDS.include?(word)

      @counts[word] += 1
    end
  end

  def top(limit = 10)
    @counts.sort_by { |word, count| [-count, word] }.first(limit)
  end

  def summary
    total = @counts.values.sum
    return 'empty' if total.zero?

    longest = @counts.keys.max_by(&:length)
    ratio = begin
      @counts.size.fdiv(total)
    rescue ZeroDivisionError
      0.0
    end
    format('%d words, %d distinct, ratio %.2f, longest %s', total, @counts.size, ratio, longest)
  end
end

def main(input = $stdin)
  stats = WordStats.new(keep_stop_words: ARGV.include?('--all'))
  input.each_line { |line| stats.feed(line) }
  stats.top.each do |word, count|
    puts format('%6d %s', count, word)
  end
  puts stats.summary
end

main if $PROGRAM_NAME == __FILE__
