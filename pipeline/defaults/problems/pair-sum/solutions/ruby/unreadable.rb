a=$stdin.read.split.map(&:to_i);n,t=a;h=Hash.new(0);c=0;a[2,n].each{|x|c+=h[t-x];h[x]+=1};p c
