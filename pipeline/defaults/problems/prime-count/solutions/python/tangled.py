import sys
# q = int(input())
# print(q)
D = sys.stdin.buffer.read().split()
a = int(D[0])
Q = []
i = 0
while i < a:
    Q.append(int(D[1 + i]))
    i = i + 1
m = 0
for x in Q:
    if x > m:
        m = x
S = bytearray([1]) * (m + 1)
S[0] = 0
if m >= 1:
    S[1] = 0
j = 2
while j * j <= m:
    if S[j] == 1:
        if j * j <= m:
            S[j * j::j] = bytes(len(range(j * j, m + 1, j)))
        else:
            pass
    j = j + 1
# print(sum(S))
R = {}
c = 0
p = 0
for k in sorted(set(Q)):
    if k >= p:
        if k >= 2:
            c = c + S.count(1, p, k + 1)
        else:
            c = c + 0
        R[k] = c
        p = k + 1
    else:
        R[k] = c
# for k in R: print(k, R[k])
O = []
for k in Q:
    O.append(str(R[k]))
sys.stdout.write("\n".join(O) + "\n")
