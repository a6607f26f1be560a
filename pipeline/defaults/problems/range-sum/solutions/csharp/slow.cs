// Range sums, naive: rebuilds the prefix sums for every query.
using System;
using System.Text;

public static class Program
{
    // Fills sums so that sums[i] = a_1 + ... + a_i.
    static void FillPrefixSums(long[] values, long[] sums)
    {
        sums[0] = 0;
        for (int i = 0; i < values.Length; i++)
        {
            sums[i + 1] = sums[i] + values[i];
        }
    }

    static void Main()
    {
        string[] tokens = Console.In.ReadToEnd().Split(
            new[] { ' ', '\n', '\r' }, StringSplitOptions.RemoveEmptyEntries);
        int n = int.Parse(tokens[0]);
        int q = int.Parse(tokens[1]);
        var values = new long[n];
        for (int i = 0; i < n; i++)
        {
            values[i] = long.Parse(tokens[2 + i]);
        }
        var sums = new long[n + 1];
        var output = new StringBuilder();
        for (int i = 0; i < q; i++)
        {
            int left = int.Parse(tokens[2 + n + 2 * i]);
            int right = int.Parse(tokens[3 + n + 2 * i]);
            FillPrefixSums(values, sums);
            output.Append(sums[right] - sums[left - 1]).Append('\n');
        }
        Console.Out.Write(output.ToString());
    }
}
