#include <stdio.h>
#include <stdlib.h>
#include <string.h>
typedef struct{char*w;int c;}E;static int f(const void*a,const void*b){const E*x=a,*y=b;return x->c!=y->c?y->c-x->c:strcmp(x->w,y->w);}
int main(void){static char t[4194304];size_t n=fread(t,1,4194303,stdin),m=1<<19,u=0,i,h;t[n]=0;E*s=calloc(m,sizeof(E));char*p=NULL,*w=strtok_r(t," \n",&p);int k=w?atoi(w):0;
while((w=strtok_r(NULL," \n",&p))){h=5381;for(char*q=w;*q;q++)h=h*33+*q;i=h&(m-1);while(s[i].w&&strcmp(s[i].w,w))i=(i+1)&(m-1);if(!s[i].w){s[i].w=w;u++;}s[i].c++;}
E*e=malloc((u+1)*sizeof(E));size_t j=0;for(i=0;i<m;i++)if(s[i].w)e[j++]=s[i];qsort(e,j,sizeof(E),f);for(i=0;i<j&&i<(size_t)k;i++)printf("%s %d\n",e[i].w,e[i].c);return 0;}
