package main
import ("bufio";"fmt";"os";"sort";"strconv")
type e struct{w string;c int}
func main(){s:=bufio.NewScanner(os.Stdin);s.Split(bufio.ScanWords);s.Scan();k,_:=strconv.Atoi(s.Text());m:=map[string]int{};for s.Scan(){m[s.Text()]++};v:=[]e{};for a,b:=range m{v=append(v,e{a,b})}
sort.Slice(v,func(i,j int)bool{if v[i].c!=v[j].c{return v[i].c>v[j].c};return v[i].w<v[j].w});o:=bufio.NewWriter(os.Stdout);defer o.Flush();for i:=0;i<len(v);i++{if i<k{fmt.Fprintf(o,"%s %d\n",v[i].w,v[i].c)}}}
