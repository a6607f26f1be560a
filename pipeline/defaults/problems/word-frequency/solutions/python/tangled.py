import sys
# t = input().split()
# print(t)
T = sys.stdin.read().split()
k = int(T[0])
D = {}
i = 1
while i < len(T):
    w = T[i]
    if w in D:
        c = D[w]
        D[w] = c + 1
    else:
        if w not in D:
            D[w] = 1
    i = i + 1
# print(len(D))
V = []
for w in D:
    V.append((-D[w], w))
V.sort()
O = []
j = 0
while j < len(V):
    if j < k:
        if V[j][0] < 0:
            n = -V[j][0]
            s = V[j][1]
            O.append(s + " " + str(n))
        else:
            pass
    else:
        break
    j = j + 1
# for o in O: print(o)
# print(j, k)
sys.stdout.write("\n".join(O) + "\n")
