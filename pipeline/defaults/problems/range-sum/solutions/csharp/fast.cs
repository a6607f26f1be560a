// Range sums: answer each query in O(1) from a prefix-sum array.
using System;
using System.IO;
using System.Text;

public static class Program
{
    // Returns p with p[i] = a_1 + ... + a_i.
    static long[] PrefixSums(string[] tokens, int n)
    {
        var sums = new long[n + 1];
        for (int i = 1; i <= n; i++)
        {
            sums[i] = sums[i - 1] + long.Parse(tokens[i - 1]);
        }
        return sums;
    }

    static void Main()
    {
        string[] tokens = Console.In.ReadToEnd().Split(
            new[] { ' ', '\n', '\r' }, StringSplitOptions.RemoveEmptyEntries);
        int n = int.Parse(tokens[0]);
        int q = int.Parse(tokens[1]);
        long[] sums = PrefixSums(new ArraySegment<string>(tokens, 2, n).ToArray(), n);
        var output = new StringBuilder();
        int next = 2 + n;
        for (int i = 0; i < q; i++, next += 2)
        {
            int left = int.Parse(tokens[next]);
            int right = int.Parse(tokens[next + 1]);
            output.Append(sums[right] - sums[left - 1]).Append('\n');
        }
        Console.Out.Write(output.ToString());
    }
}
