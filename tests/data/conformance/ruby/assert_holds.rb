require 'minitest'
include Minitest::Assertions
attr_accessor :assertions
self.assertions = 0

x = 2
assert_equal 4, x + x
puts 'ok'
