#include <bits/stdc++.h>
using namespace std;
int main(){ios::sync_with_stdio(0);cin.tie(0);size_t k;cin>>k;unordered_map<string,int>m;string s;while(cin>>s)m[s]++;vector<pair<string,int>>v(m.begin(),m.end());
sort(v.begin(),v.end(),[](auto&a,auto&b){if(a.second!=b.second){return a.second>b.second;}else{return a.first<b.first;}});for(size_t i=0;i<v.size();i++){if(i<k){cout<<v[i].first<<' '<<v[i].second<<'\n';}}}
