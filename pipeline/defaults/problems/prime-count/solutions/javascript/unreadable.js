const a=require("fs").readFileSync(0,"utf8").split(/\s+/).filter(x=>x).map(Number),q=a[0],b=a.slice(1,1+q),o=b.map((x,i)=>i).sort((x,y)=>b[x]-b[y]),m=b[o[q-1]],s=new Uint8Array(m+1),r=[];
for(let i=2;i*i<=m;i++){if(!s[i]){for(let j=i*i;j<=m;j+=i){s[j]=1}}}let k=2,c=0;for(const i of o){while(k<=b[i]){if(!s[k]){c++}k++}r[i]=c}console.log(r.join("\n"))
