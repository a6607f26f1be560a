#include <stdio.h>
#include <stdlib.h>
int main(void){int n,q,l,r;long long*p,x;if(scanf("%d %d",&n,&q)!=2)return 1;p=malloc(8*(size_t)(n+1));p[0]=0;
for(int i=1;i<=n;i++){if(scanf("%lld",&x)!=1)x=0;p[i]=p[i-1]+x;}
for(int j=0;j<q;j++){if(scanf("%d %d",&l,&r)==2){if(l>0){if(r>=l){printf("%lld\n",p[r]-p[l-1]);}else{printf("0\n");}}}}
free(p);return 0;}
