# Count pairs summing to a target with a single pass and a hash of value counts.

# Number of pairs i < j with values[i] + values[j] == target.
def count_pairs(values, target)
  seen = Hash.new(0)
  values.sum do |value|
    earlier = seen[target - value]
    seen[value] += 1
    earlier
  end
end

tokens = $stdin.read.split.map(&:to_i)
n, target = tokens
puts count_pairs(tokens[2, n], target)
