t=$stdin.read.split.map(&:to_i);n,q=t[0],t[1];p=[0];i=0;while i<n;p<<p[-1]+t[i+2];i+=1;end;o=[];j=0
while j<q;l,r=t[2+n+2*j],t[3+n+2*j];if l>0;if r>=l;if r<=n;o<<p[r]-p[l-1];end;end;end;j+=1;end;$stdout.write(o.join("\n")+"\n")
