using System;using System.Collections.Generic;
class P{static void Main(){var t=Console.In.ReadToEnd().Split(new[]{' ','\n','\r'},StringSplitOptions.RemoveEmptyEntries);int k=int.Parse(t[0]);var d=new Dictionary<string,int>(StringComparer.Ordinal);
for(int i=1;i<t.Length;i++){int c;if(d.TryGetValue(t[i],out c)){d[t[i]]=c+1;}else{d[t[i]]=1;}}var v=new List<KeyValuePair<string,int>>(d);v.Sort((a,b)=>a.Value!=b.Value?b.Value-a.Value:string.CompareOrdinal(a.Key,b.Key));
var s=new System.Text.StringBuilder();for(int i=0;i<v.Count;i++){if(i<k){s.Append(v[i].Key).Append(' ').Append(v[i].Value).Append('\n');}}Console.Write(s.ToString());}}
