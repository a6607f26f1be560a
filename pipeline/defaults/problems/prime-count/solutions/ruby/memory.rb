# Precompute a lookup table with one row [n, prime flag, primes up to n] for every n up to the largest query.

# Returns an array of 0/1 flags: flags[i] == 1 exactly when i is prime.
def prime_flags(limit)
  is_prime = ("\x00\x01".b * (limit / 2 + 1)).byteslice(0, limit + 1)
  is_prime.setbyte(1, 0)
  is_prime.setbyte(2, 1) if limit >= 2
  p = 3
  while p * p <= limit
    if is_prime.getbyte(p) == 1
      multiple = p * p
      while multiple <= limit
        is_prime.setbyte(multiple, 0)
        multiple += 2 * p
      end
    end
    p += 2
  end
  is_prime.bytes
end

def lookup_table(limit)
  flags = prime_flags(limit)
  running = 0
  primes_up_to = flags.map { |flag| running += flag }
  (0..limit).to_a.zip(flags, primes_up_to)
end

tokens = $stdin.read.split.map(&:to_i)
queries = tokens[1, tokens[0]]
table = lookup_table(queries.max)
puts queries.map { |n| table[n][2] }.join("\n")
