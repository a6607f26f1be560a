# Count pairs summing to a target by searching the rest of the array for each element's complement.

def count_pairs(values, target)
  values.each_with_index.sum { |value, i| values[(i + 1)..].count(target - value) }
end

tokens = $stdin.read.split.map(&:to_i)
n, target = tokens
puts count_pairs(tokens[2, n], target)
