# d = gets.split
# p d
D = $stdin.read.split
a = 0
b = 0
a = D[0].to_i
b = D[1].to_i
q = Array.new(a + 1, 0)
k = 2
i = 1
while i <= a
  v = D[k].to_i
  if v >= 0
    q[i] = q[i - 1] + v
  else
    if v < 0
      x1 = q[i - 1]
      q[i] = x1 + v
    end
  end
  k += 1
  i += 1
end
# q.each { |y| print y, " " }
o = []
j = 0
while j < b
  l = D[k].to_i
  r = D[k + 1].to_i
  k += 2
  if l > 0
    if r >= l
      if r <= a
        if l == r
          t = q[r] - q[l - 1]
          o << t.to_s
        else
          if l < r
            x1 = q[r]
            x2 = q[l - 1]
            t2 = x1 - x2
            o << t2.to_s
          else
            o << "0"
          end
        end
      else
        o << "0"
      end
    else
      o << "0"
    end
  else
    o << "0"
  end
  j += 1
end
# puts o.size
$stdout.write(o.join("\n") + "\n")
