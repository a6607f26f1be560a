require 'test/unit'

class ArithmeticTest < Test::Unit::TestCase
  def test_add
    assert_equal 4, 2 + 2
  end

  def test_mul
    assert_equal 6, 2 * 3
  end
end
