package main
import("bufio";"fmt";"os")
func main(){r:=bufio.NewReader(os.Stdin);var n int;var t,c int64;fmt.Fscan(r,&n,&t);m:=map[int64]int64{};for i:=0;i<n;i++{var x int64;fmt.Fscan(r,&x);if v,k:=m[t-x];k{c+=v};m[x]=m[x]+1};fmt.Println(c)}
