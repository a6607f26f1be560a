import sys
# d = sys.stdin.read().split()
# print(len(d))
D = sys.stdin.buffer.read().split()
a = 0
b = 0
a = int(D[0])
b = int(D[1])
P = [0] * (a + 1)
k = 2
i = 1
while i <= a:
    v = int(D[k])
    if v >= 0:
        P[i] = P[i - 1] + v
    else:
        if v < 0:
            w = P[i - 1]
            P[i] = w + v
    k = k + 1
    i = i + 1
# for i in range(a): print(P[i])
O = []
j = 0
while j < b:
    l = int(D[k])
    r = int(D[k + 1])
    k = k + 2
    if l > 0:
        if r >= l:
            if r <= a:
                if l == r:
                    t = P[r] - P[l - 1]
                    O.append(str(t))
                else:
                    if l < r:
                        x1 = P[r]
                        x2 = P[l - 1]
                        t2 = x1 - x2
                        O.append(str(t2))
                    else:
                        z = 0
                        O.append(str(z))
            else:
                O.append("0")
        else:
            O.append("0")
    else:
        O.append("0")
    j = j + 1
# old: print("\n".join(O))
# print(j, b)
s = "\n".join(O)
sys.stdout.write(s + "\n")
