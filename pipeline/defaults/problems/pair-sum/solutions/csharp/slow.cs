using System;
using System.Linq;

/// <summary>Counts pairs summing to a target by scanning every later element for each element.</summary>
public static class Program
{
    static void Main()
    {
        long[] tokens = Console.In.ReadToEnd().Split((char[])null, StringSplitOptions.RemoveEmptyEntries).Select(long.Parse).ToArray();
        int n = (int)tokens[0];
        long target = tokens[1];
        long[] values = tokens.Skip(2).Take(n).ToArray();

        long pairs = 0;
        for (int i = 0; i < n; i++)
        {
            long complement = target - values[i];
            var later = new ArraySegment<long>(values, i + 1, n - i - 1);
            pairs += later.Count(second => second == complement);
        }
        Console.WriteLine(pairs);
    }
}
