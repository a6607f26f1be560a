# t = gets.split
# p t
T = $stdin.read.split
k = T[0].to_i
h = {}
i = 1
while i < T.size
  w = T[i]
  if h.key?(w)
    c = h[w]
    h[w] = c + 1
  else
    if !h.key?(w)
      h[w] = 1
    end
  end
  i += 1
end
# p h.size
v = h.to_a.sort do |a, b|
  if a[1] != b[1]
    b[1] <=> a[1]
  else
    if a[0] < b[0]
      -1
    else
      if a[0] > b[0]
        1
      else
        0
      end
    end
  end
end
o = []
j = 0
while j < v.size
  if j < k
    if v[j][1] > 0
      x = v[j][0]
      y = v[j][1]
      o << "#{x} #{y}"
    end
  else
    break
  end
  j += 1
end
# o.each { |z| puts z }
# p [j, k]
$stdout.write(o.join("\n") + "\n")
