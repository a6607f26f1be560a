import sys
d=sys.stdin.buffer.read().split();n,t=int(d[0]),int(d[1]);m={};c=0
for x in map(int,d[2:2+n]):
 c+=m.get(t-x,0);m[x]=m.get(x,0)+1
print(c)
