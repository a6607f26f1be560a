t=$stdin.read.split;k=t.shift.to_i;h=Hash.new(0);t.each{|w|h[w]+=1};v=h.to_a.sort{|a,b|a[1]!=b[1] ? b[1]<=>a[1] : a[0]<=>b[0]};o=[];i=0
while i<v.size;if i<k;if v[i][1]>0;o<<"#{v[i][0]} #{v[i][1]}";end;end;i+=1;end;$stdout.write(o.join("\n")+"\n")
