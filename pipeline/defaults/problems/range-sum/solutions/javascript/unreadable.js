const t=require('fs').readFileSync(0,'latin1').split(/\s+/);let n=+t[0],q=+t[1],p=new Float64Array(n+1),o=[];for(let i=1;i<=n;i++)p[i]=p[i-1]+ +t[i+1];
for(let j=0;j<q;j++){let l=+t[n+2+2*j],r=+t[n+3+2*j];if(l>0){if(r>=l){if(r<=n){o.push(p[r]-p[l-1])}}}}process.stdout.write(o.join('\n')+'\n')
