#include <bits/stdc++.h>
using namespace std;int main(){int q;cin>>q;vector<int>a(q),o(q),r(q);for(int i=0;i<q;i++){cin>>a[i];o[i]=i;}sort(o.begin(),o.end(),[&](int x,int y){return a[x]<a[y];});int m=a[o[q-1]];vector<bool>s(m+1);
for(long i=2;i*i<=m;i++){if(!s[i]){for(long j=i*i;j<=m;j+=i){s[j]=1;}}}long k=2;int c=0;for(int i=0;i<q;i++){while(k<=a[o[i]]){if(!s[k]){c++;}k++;}r[o[i]]=c;}for(int i=0;i<q;i++)cout<<r[i]<<"\n";}
