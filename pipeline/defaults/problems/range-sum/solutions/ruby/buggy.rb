# Range sums: answer each query in O(1) from a prefix-sum array.

# Returns p with p[i] = a_1 + ... + a_i.
def prefix_sums(values)
  sums = [0]
  values.each { |value| sums << sums.last + value }
  sums
end

tokens = $stdin.read.split.map(&:to_i)
n, q = tokens[0], tokens[1]
sums = prefix_sums(tokens[2, n])
bounds = tokens[2 + n, 2 * q]
answers = bounds.each_slice(2).map { |left, right| sums[right - 1] - sums[left - 1] }
$stdout.write(answers.join("\n") << "\n")
