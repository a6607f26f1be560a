require 'test/unit/assertions'
include Test::Unit::Assertions

x = 2
assert_equal 5, x + x, 'arithmetic is broken'
puts 'unreachable'
