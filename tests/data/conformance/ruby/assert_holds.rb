require 'minitest'

# Minitest's assertions outside a test case: any object with an `assertions` counter.
class Check
  include Minitest::Assertions
  attr_accessor :assertions

  def initialize
    @assertions = 0
  end
end

check = Check.new
check.assert_equal 4, 2 + 2
check.assert_includes [1, 2, 3], 2
puts 'ok'
