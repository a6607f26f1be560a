import sys
t=sys.stdin.read().split();k=int(t[0]);d={}
for w in t[1:]:
 if w in d:d[w]+=1
 else:d[w]=1
v=sorted(d.items(),key=lambda x:(-x[1],x[0]));o=[]
for i in range(len(v)):
 if i<k:
  if v[i][1]>0:o.append(v[i][0]+' '+str(v[i][1]))
sys.stdout.write('\n'.join(o)+'\n')
