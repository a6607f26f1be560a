using System;
using System.Text;
class P
{
    static void Main()
    {
        var D = Console.In.ReadToEnd().Split(new[] { ' ', '\n', '\r', '\t' }, StringSplitOptions.RemoveEmptyEntries);
        int a = 0, b = 0, k = 0, l = 0, r = 0;
        long v = 0, t = 0, x1 = 0, x2 = 0;
        a = int.Parse(D[0]);
        b = int.Parse(D[1]);
        var Q = new long[a + 1];
        k = 2;
        // Console.WriteLine(a + " " + b);
        for (int i = 1; i <= a; i++)
        {
            v = long.Parse(D[k]);
            if (v >= 0)
            {
                Q[i] = Q[i - 1] + v;
            }
            else
            {
                if (v < 0)
                {
                    x1 = Q[i - 1];
                    Q[i] = x1 + v;
                }
            }
            k++;
        }
        // foreach (var y in Q) Console.Write(y + " ");
        var O = new StringBuilder();
        for (int j = 0; j < b; j++)
        {
            l = int.Parse(D[k]);
            r = int.Parse(D[k + 1]);
            k += 2;
            if (l > 0)
            {
                if (r >= l)
                {
                    if (r <= a)
                    {
                        if (l == r)
                        {
                            t = Q[r] - Q[l - 1];
                            O.Append(t).Append('\n');
                        }
                        else
                        {
                            if (l < r)
                            {
                                x1 = Q[r];
                                x2 = Q[l - 1];
                                t = x1 - x2;
                                O.Append(t).Append('\n');
                            }
                            else
                            {
                                O.Append("0\n");
                            }
                        }
                    }
                    else
                    {
                        O.Append("0\n");
                    }
                }
                else
                {
                    O.Append("0\n");
                }
            }
            else
            {
                O.Append("0\n");
            }
        }
        // Console.WriteLine(O.Length);
        Console.Write(O.ToString());
    }
}
