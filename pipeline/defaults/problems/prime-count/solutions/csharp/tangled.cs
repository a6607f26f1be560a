using System;
using System.Collections;
class P
{
    static void Main()
    {
        var T = Console.In.ReadToEnd().Split((char[])null, StringSplitOptions.RemoveEmptyEntries);
        int q = int.Parse(T[0]);
        var A = new int[q];
        var O = new int[q];
        // Console.WriteLine(q);
        for (int i = 0; i < q; i++)
        {
            A[i] = int.Parse(T[1 + i]);
            O[i] = i;
        }
        Array.Sort((int[])A.Clone(), O);
        int m = 0;
        for (int i = 0; i < q; i++)
        {
            if (A[i] > m)
            {
                m = A[i];
            }
        }
        var S = new BitArray(m + 1);
        for (long i = 2; i * i <= m; i++)
        {
            if (!S[(int)i])
            {
                for (long j = i * i; j <= m; j += i)
                {
                    if (!S[(int)j])
                    {
                        S[(int)j] = true;
                    }
                }
            }
        }
        // Console.WriteLine(S.Count);
        var R = new int[q];
        int c = 0, k = 2;
        foreach (int i in O)
        {
            while (k <= A[i])
            {
                if (!S[k])
                {
                    if (k >= 2)
                    {
                        c++;
                    }
                }
                k++;
            }
            R[i] = c;
        }
        // Console.WriteLine("c = " + c);
        Console.Write(string.Join("\n", R) + "\n");
    }
}
