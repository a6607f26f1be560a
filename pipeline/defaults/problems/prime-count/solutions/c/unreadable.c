#include <stdio.h>
#include <stdlib.h>
int a[100],b[100],c[100];int main(){int q,i,j,m=0;scanf("%d",&q);for(i=0;i<q;i++){scanf("%d",&a[i]);b[i]=i;if(a[i]>m)m=a[i];}for(i=0;i<q;i++)for(j=i+1;j<q;j++)if(a[b[j]]<a[b[i]]){int t=b[i];b[i]=b[j];b[j]=t;}
unsigned char*s=calloc(m/8+1,1);for(long p=2;p*p<=m;p++){if(!(s[p>>3]>>(p&7)&1)){for(long k=p*p;k<=m;k+=p){s[k>>3]|=1<<(k&7);}}}
long x=2;int r=0;for(i=0;i<q;i++){for(;x<=a[b[i]];x++){if(!(s[x>>3]>>(x&7)&1)){r++;}}c[b[i]]=r;}for(i=0;i<q;i++)printf("%d\n",c[i]);return 0;}
