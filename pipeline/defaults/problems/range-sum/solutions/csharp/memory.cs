// Range sums with a prefix table given generous headroom up front.
using System;
using System.Text;

public static class Program
{
    // The table holds Headroom times n (rounded up to a power of two) entries,
    // all filled, so it never has to grow.
    const int Headroom = 512;

    static int TableCapacity(int n)
    {
        int size = 1;
        while (size < n)
        {
            size *= 2;
        }
        return size * Headroom;
    }

    static void Main()
    {
        string[] tokens = Console.In.ReadToEnd().Split(
            new[] { ' ', '\n', '\r' }, StringSplitOptions.RemoveEmptyEntries);
        int n = int.Parse(tokens[0]);
        int q = int.Parse(tokens[1]);
        int capacity = TableCapacity(n);
        var prefix = new long[capacity + 1];
        for (int i = 1; i <= capacity; i++)
        {
            long value = i <= n ? long.Parse(tokens[1 + i]) : 0;
            prefix[i] = prefix[i - 1] + value;
        }
        var output = new StringBuilder();
        for (int i = 0; i < q; i++)
        {
            int left = int.Parse(tokens[2 + n + 2 * i]);
            int right = int.Parse(tokens[3 + n + 2 * i]);
            output.Append(prefix[right] - prefix[left - 1]).Append('\n');
        }
        Console.Out.Write(output.ToString());
    }
}
