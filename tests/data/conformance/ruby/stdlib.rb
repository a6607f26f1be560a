require 'set'
require 'json'
require 'bigdecimal'

v = gets.split.map(&:to_i)
p Set.new(v)
puts JSON.generate({ 'a' => [1, 2] })
puts BigDecimal('0.1') + BigDecimal('0.2')
puts (1..50).reduce(:*)
