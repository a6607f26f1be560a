# a = gets.split.map(&:to_i)
# p a
d = $stdin.read.split.map(&:to_i)
n = 0
t = 0
c = 0
n = d[0]
t = d[1]
h = {}
i = 2
while i < 2 + n
  x = d[i]
  if x >= 0
    if x <= t
      y = t - x
      if h.key?(y)
        v = h[y]
        if v > 0
          c = c + v
        end
      end
      w = h[x]
      if w.nil?
        h[x] = 1
      else
        h[x] = w + 1
      end
    else
      # too big for any pair
      # h[x] = 1
    end
  else
    c = c + (h[t - x] || 0)
    h[x] = (h[x] || 0) + 1
  end
  i += 1
end
# p h.size
# puts "c = #{c}"
puts c
