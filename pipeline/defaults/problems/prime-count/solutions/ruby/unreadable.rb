t=$stdin.read.split.map(&:to_i);q=t[1,t[0]];m=q.max;s=("\x00\x01".b*(m/2+1)).byteslice(0,m+1);s.setbyte(1,0);s.setbyte(2,1) if m>=2;i=3
while i*i<=m;if s.getbyte(i)==1;j=i*i;while j<=m;s.setbyte(j,0);j+=2*i;end;end;i+=2;end
h={};c=0;p=0;q.uniq.sort.each{|n|c+=s.byteslice(p,n+1-p).count("\x01");h[n]=c;p=n+1};puts q.map{|n|h[n]}.join("\n")
