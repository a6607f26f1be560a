x = 2
assert x + x == 5, 'arithmetic is broken'
print('unreachable')
