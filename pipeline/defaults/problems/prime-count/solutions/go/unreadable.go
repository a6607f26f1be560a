package main
import("bufio";"fmt";"os";"sort")
func main(){r:=bufio.NewReader(os.Stdin);w:=bufio.NewWriter(os.Stdout);defer w.Flush();var q int;fmt.Fscan(r,&q);a:=make([]int,q);o:=make([]int,q);for i:=0;i<q;i++{fmt.Fscan(r,&a[i]);o[i]=i};sort.Slice(o,func(x,y int)bool{return a[o[x]]<a[o[y]]});m:=a[o[q-1]];s:=make([]uint64,m/64+1)
for i:=2;i*i<=m;i++{if s[i>>6]>>(uint(i)&63)&1==0{for j:=i*i;j<=m;j+=i{s[j>>6]|=1<<(uint(j)&63)}}};z:=make([]int,q);k,c:=2,0;for _,i:=range o{for ;k<=a[i];k++{if s[k>>6]>>(uint(k)&63)&1==0{c++}};z[i]=c};for _,v:=range z{fmt.Fprintln(w,v)}}
