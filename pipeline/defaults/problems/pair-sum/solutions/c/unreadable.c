#include <stdio.h>
#include <stdlib.h>
int f(const void*a,const void*b){return (*(int*)a>*(int*)b)-(*(int*)a<*(int*)b);}
int main(){int n,i,l,h,m,u;long t;long long r=0;scanf("%d %ld",&n,&t);int*a=malloc(4*n);for(i=0;i<n;i++)scanf("%d",&a[i]);qsort(a,n,4,f);
for(i=0;i<n;i++){long k=t-a[i];l=i+1;h=n;while(l<h){m=(l+h)/2;if(a[m]<k)l=m+1;else h=m;}u=l;h=n;while(l<h){m=(l+h)/2;if(a[m]<=k)l=m+1;else h=m;}r+=l-u;}printf("%lld\n",r);return 0;}
