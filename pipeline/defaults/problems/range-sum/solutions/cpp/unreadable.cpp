#include <bits/stdc++.h>
using namespace std;
int main(){ios::sync_with_stdio(0);cin.tie(0);int n,q,l,r;cin>>n>>q;vector<long long>p(n+1);long long x;for(int i=1;i<=n;i++){cin>>x;p[i]=p[i-1]+x;}
while(q--){cin>>l>>r;if(l>=1){if(r>=l){if(r<=n){cout<<p[r]-p[l-1]<<'\n';}}}}return 0;}
