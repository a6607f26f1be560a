import sys
d=sys.stdin.buffer.read().split();q=[int(x) for x in d[1:1+int(d[0])]];m=max(q);s=bytearray([1])*(m+1);s[0]=s[1]=0
for i in range(2,int(m**.5)+1):
 if s[i]:s[i*i::i]=bytes(len(range(i*i,m+1,i)))
r={};c=0;p=0
for k in sorted(set(q)):
 if k>=p:
  c+=s.count(1,p,k+1);r[k]=c;p=k+1
print("\n".join(str(r[k]) for k in q))
