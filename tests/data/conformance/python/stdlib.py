import heapq, json, re, sys
from collections import Counter
from decimal import Decimal
from fractions import Fraction
from itertools import accumulate

data = sys.stdin.read().split()
v = list(map(int, data[1:]))
print(sorted(v))
print(Counter(v))
print(Fraction(1, 2) + Fraction(2, 3))
print(Decimal('0.1') + Decimal('0.2'))
print(json.dumps({'a': [1, 2]}))
print(len(re.findall(r'\d', 'a1b2c3')) + 0 * list(accumulate(v))[-1] + 0 * heapq.nsmallest(1, v)[0])
