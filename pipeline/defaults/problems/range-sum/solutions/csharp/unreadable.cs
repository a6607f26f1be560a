using System;
class P{static void Main(){var t=Console.In.ReadToEnd().Split(new[]{' ','\n','\r'},StringSplitOptions.RemoveEmptyEntries);int n=int.Parse(t[0]),q=int.Parse(t[1]);var p=new long[n+1];
for(int i=1;i<=n;i++)p[i]=p[i-1]+long.Parse(t[1+i]);var b=new System.Text.StringBuilder();
for(int j=0;j<q;j++){int l=int.Parse(t[2+n+2*j]),r=int.Parse(t[3+n+2*j]);if(l>0){if(r>=l){if(r<=n){b.Append(p[r]-p[l-1]).Append('\n');}}}}Console.Write(b.ToString());}}
