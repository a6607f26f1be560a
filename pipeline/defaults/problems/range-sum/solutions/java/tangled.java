import java.io.*;
import java.util.*;

public class Main {
    public static void main(String[] x) throws IOException {
        BufferedReader R = new BufferedReader(new InputStreamReader(System.in), 65536);
        StreamTokenizer T = new StreamTokenizer(R);
        T.resetSyntax();
        T.wordChars('-', '-');
        T.wordChars('0', '9');
        T.whitespaceChars(0, ' ');
        int a = 0, b = 0, l = 0, r = 0;
        long v = 0, t = 0, x1 = 0, x2 = 0;
        T.nextToken();
        a = Integer.parseInt(T.sval);
        T.nextToken();
        b = Integer.parseInt(T.sval);
        long[] P = new long[a + 1];
        // System.out.println(a + " " + b);
        for (int i = 1; i <= a; i++) {
            T.nextToken();
            v = Long.parseLong(T.sval);
            if (v >= 0) {
                P[i] = P[i - 1] + v;
            } else {
                if (v < 0) {
                    x1 = P[i - 1];
                    P[i] = x1 + v;
                }
            }
        }
        // System.out.println(Arrays.toString(P));
        StringBuilder O = new StringBuilder();
        for (int j = 0; j < b; j++) {
            T.nextToken();
            l = Integer.parseInt(T.sval);
            T.nextToken();
            r = Integer.parseInt(T.sval);
            if (l > 0) {
                if (r >= l) {
                    if (r <= a) {
                        if (l == r) {
                            t = P[r] - P[l - 1];
                            O.append(t).append('\n');
                        } else {
                            if (l < r) {
                                x1 = P[r];
                                x2 = P[l - 1];
                                t = x1 - x2;
                                O.append(t).append('\n');
                            } else {
                                O.append("0\n");
                            }
                        }
                    } else {
                        O.append("0\n");
                    }
                } else {
                    O.append("0\n");
                }
            } else {
                O.append("0\n");
            }
        }
        // System.out.println(O.length());
        System.out.print(O);
    }
}
