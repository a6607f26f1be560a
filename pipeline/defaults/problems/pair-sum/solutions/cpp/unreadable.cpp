#include <bits/stdc++.h>
using namespace std;int main(){int n;long t;cin>>n>>t;vector<long>a(n);for(auto&x:a)cin>>x;sort(a.begin(),a.end());long long r=0;for(int i=0;i<n;i++){auto p=equal_range(a.begin()+i+1,a.end(),t-a[i]);r+=p.second-p.first;}cout<<r<<"\n";}
