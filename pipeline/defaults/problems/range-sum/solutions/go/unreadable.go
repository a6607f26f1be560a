package main
import ("bufio";"os";"strconv")
func main(){s:=bufio.NewScanner(os.Stdin);s.Buffer(make([]byte,65536),1048576);s.Split(bufio.ScanWords);g:=func()int64{s.Scan();v,_:=strconv.ParseInt(s.Text(),10,64);return v}
n,q:=int(g()),int(g());p:=make([]int64,n+1);for i:=1;i<=n;i++{p[i]=p[i-1]+g()};w:=bufio.NewWriter(os.Stdout);defer w.Flush()
for j:=0;j<q;j++{l,r:=g(),g();if l>0{if r>=l{if int(r)<=n{w.WriteString(strconv.FormatInt(p[r]-p[l-1],10));w.WriteByte(10)}}}}}
