# prime and matrix are bundled gems since Ruby 3.1: they need RubyGems (no --disable-gems).
require 'prime'
require 'matrix'

p Prime.first(5)
puts 7.prime?
m = Matrix[[1, 2], [3, 4]]
puts "#{m.rank} #{12.prime_division}"
