# Count pairs summing to a target with a direct-address table indexed by value.

def count_pairs(values, target)
  # Values are non-negative, so only values <= target can be part of a pair.
  count_of = Array.new(target + 1, 0)
  pairs = 0
  values.each do |value|
    next if value > target

    pairs += count_of[target - value]
    count_of[value] += 1
  end
  pairs
end

tokens = $stdin.read.split.map(&:to_i)
n, target = tokens
puts count_pairs(tokens[2, n], target)
