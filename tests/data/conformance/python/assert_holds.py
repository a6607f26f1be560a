x = 2
assert x + x == 4
print('ok')
