#include <cstdio>
#include <iostream>
#include <vector>
using namespace std;
int main()
{
    ios::sync_with_stdio(false);
    cin.tie(nullptr);
    int a = 0, b = 0, l = 0, r = 0;
    long long v = 0, t = 0, x1 = 0, x2 = 0;
    if (!(cin >> a >> b)) {
        return 1;
    }
    vector<long long> P(a + 1, 0);
    // cout << a << " " << b << endl;
    for (int i = 1; i <= a; i++) {
        if (cin >> v) {
            if (v >= 0) {
                P[i] = P[i - 1] + v;
            } else {
                if (v < 0) {
                    x1 = P[i - 1];
                    P[i] = x1 + v;
                }
            }
        } else {
            P[i] = P[i - 1];
        }
    }
    // for (auto y : P) cout << y << " ";
    string O;
    for (int j = 0; j < b; j++) {
        if (cin >> l >> r) {
            if (l > 0) {
                if (r >= l) {
                    if (r <= a) {
                        if (l == r) {
                            t = P[r] - P[l - 1];
                            O += to_string(t);
                            O += '\n';
                        } else {
                            if (l < r) {
                                x1 = P[r];
                                x2 = P[l - 1];
                                t = x1 - x2;
                                O += to_string(t);
                                O += '\n';
                            } else {
                                O += "0\n";
                            }
                        }
                    } else {
                        O += "0\n";
                    }
                } else {
                    O += "0\n";
                }
            } else {
                O += "0\n";
            }
        }
    }
    // cout << O.size() << endl;
    // cout.flush();
    cout << O;
    return 0;
}
