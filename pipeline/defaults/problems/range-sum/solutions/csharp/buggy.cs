// Range sums: answer each query in O(1) from a prefix-sum array.
using System;
using System.Text;

public static class Program
{
    static void Main()
    {
        string[] tokens = Console.In.ReadToEnd().Split(
            new[] { ' ', '\n', '\r' }, StringSplitOptions.RemoveEmptyEntries);
        int n = int.Parse(tokens[0]);
        int q = int.Parse(tokens[1]);
        var sums = new int[n + 1];
        for (int i = 1; i <= n; i++)
        {
            sums[i] = sums[i - 1] + int.Parse(tokens[1 + i]);
        }
        var output = new StringBuilder();
        for (int i = 0; i < q; i++)
        {
            int left = int.Parse(tokens[2 + n + 2 * i]);
            int right = int.Parse(tokens[3 + n + 2 * i]);
            output.Append(sums[right] - sums[left - 1]).Append('\n');
        }
        Console.Out.Write(output.ToString());
    }
}
