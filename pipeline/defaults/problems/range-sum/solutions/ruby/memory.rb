# Range sums with a prefix table given generous headroom up front.

# The table holds HEADROOM times n (rounded up to a power of two) entries,
# so it never has to grow.
HEADROOM = 352

def table_capacity(n)
  size = 1
  size *= 2 while size < n
  size * HEADROOM
end

tokens = $stdin.read.split.map(&:to_i)
n, q = tokens[0], tokens[1]
sums = Array.new(table_capacity(n) + 1, 0)
running = 0
tokens[2, n].each_with_index do |value, i|
  running += value
  sums[i + 1] = running
end
bounds = tokens[2 + n, 2 * q]
answers = bounds.each_slice(2).map { |left, right| sums[right] - sums[left - 1] }
$stdout.write(answers.join("\n") << "\n")
