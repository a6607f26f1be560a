# Range sums from prefix sums; number lines are read as array literals.

# Turns "1 2 3" into [1, 2, 3].
def parse_line(line)
  eval("[#{line.split.join(',')}]")
end

lines = $stdin.read.split("\n")
n, q = parse_line(lines[0])
values = parse_line(lines[1])
sums = [0]
values.each { |value| sums << sums.last + value }
answers = lines[2, q].map do |line|
  left, right = line.split.map(&:to_i)
  sums[right] - sums[left - 1]
end
$stdout.write(answers.join("\n") << "\n")
