# Count primes for each query by walking the whole sieve up to n again.

def sieve(limit)
  is_prime = Array.new(limit + 1, true)
  is_prime[0] = is_prime[1] = false
  (2..Integer.sqrt(limit)).each do |p|
    next unless is_prime[p]

    (p * p).step(limit, p) { |multiple| is_prime[multiple] = false }
  end
  is_prime
end

tokens = $stdin.read.split.map(&:to_i)
queries = tokens[1, tokens[0]]
is_prime = sieve(queries.max)
puts queries.map { |n| is_prime[0..n].count { |flag| flag } }.join("\n")
