import sys
d=sys.stdin.buffer.read().split();n,q=int(d[0]),int(d[1]);p=[0]*(n+1);o=[]
for i in range(1,n+1):p[i]=p[i-1]+int(d[i+1])
for j in range(q):
 l,r=int(d[2+n+2*j]),int(d[3+n+2*j])
 if l>0:
  if r>=l:
   if r<=n:o.append(str(p[r]-p[l-1]))
sys.stdout.write('\n'.join(o)+'\n')
