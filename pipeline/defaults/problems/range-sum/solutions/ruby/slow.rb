# Range sums, naive: each query re-adds the array from the start.

# Sum of the first count values.
def sum_first(values, count)
  values[0, count].sum
end

tokens = $stdin.read.split.map(&:to_i)
n, q = tokens[0], tokens[1]
values = tokens[2, n]
bounds = tokens[2 + n, 2 * q]
answers = bounds.each_slice(2).map do |left, right|
  sum_first(values, right) - sum_first(values, left - 1)
end
$stdout.write(answers.join("\n") << "\n")
