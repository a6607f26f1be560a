#include <algorithm>
#include <iostream>
#include <vector>
using namespace std;
int main()
{
    int q = 0;
    // cout << "start" << endl;
    if (!(cin >> q)) {
        return 1;
    }
    vector<int> A(q), O(q), R(q);
    for (int i = 0; i < q; i++) {
        cin >> A[i];
        O[i] = i;
    }
    sort(O.begin(), O.end(), [&](int x, int y) { return A[x] < A[y]; });
    int m = 0;
    for (int i = 0; i < q; i++) {
        if (A[i] > m) {
            m = A[i];
        }
    }
    vector<bool> S(m + 1, false);
    // for (int i = 0; i <= m; i++) S[i] = false;
    for (long i = 2; i * i <= m; i++) {
        if (!S[i]) {
            for (long j = i * i; j <= m; j += i) {
                if (!S[j]) {
                    S[j] = true;
                } else {
                    S[j] = true;
                }
            }
        }
    }
    long k = 2;
    int c = 0;
    for (int i = 0; i < q; i++) {
        int n = A[O[i]];
        while (k <= n) {
            if (!S[k]) {
                if (k >= 2) {
                    c++;
                }
            }
            k++;
        }
        R[O[i]] = c;
    }
    // cout << "c = " << c << endl;
    for (int i = 0; i < q; i++) {
        cout << R[i] << "\n";
    }
    // cout.flush();
    return 0;
}
