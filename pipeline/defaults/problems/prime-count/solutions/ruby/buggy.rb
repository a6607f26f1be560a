# Answer prime-counting queries with one sieve of Eratosthenes stored as a byte string.

# Returns a binary string whose byte i is 1 exactly when i is prime.
# Even numbers are excluded up front, so only odd multiples of odd primes are crossed off.
def sieve(limit)
  is_prime = ("\x00\x01".b * (limit / 2 + 1)).byteslice(0, limit + 1)
  is_prime.setbyte(1, 0)
  is_prime.setbyte(2, 1) if limit >= 2
  p = 3
  while p * p <= limit
    if is_prime.getbyte(p) == 1
      multiple = p * p
      step = 2 * p
      while multiple <= limit
        is_prime.setbyte(multiple, 0)
        multiple += step
      end
    end
    p += 2
  end
  is_prime
end

# Maps each distinct query n to pi(n), counting each stretch of the sieve once.
def count_primes_up_to(queries)
  is_prime = sieve(queries.max)
  counts = {}
  running = 0
  previous = 0
  queries.uniq.sort.each do |n|
    running += is_prime.byteslice(previous, n - previous).count("\x01")
    counts[n] = running
    previous = n + 1
  end
  counts
end

tokens = $stdin.read.split.map(&:to_i)
queries = tokens[1, tokens[0]]
counts = count_primes_up_to(queries)
puts queries.map { |n| counts[n] }.join("\n")
