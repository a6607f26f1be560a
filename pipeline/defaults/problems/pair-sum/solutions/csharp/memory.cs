using System;
using System.Linq;

/// <summary>Counts pairs summing to a target with a direct-address table indexed by value.</summary>
public static class Program
{
    static void Main()
    {
        long[] tokens = Console.In.ReadToEnd().Split((char[])null, StringSplitOptions.RemoveEmptyEntries).Select(long.Parse).ToArray();
        int n = (int)tokens[0];
        long target = tokens[1];
        long[] values = tokens.Skip(2).Take(n).ToArray();
        long maxValue = values.Max();

        // countOf[v] is how many times v has appeared so far; every count starts at zero.
        int[] countOf = Enumerable.Repeat(0, (int)maxValue + 1).ToArray();
        long pairs = 0;
        foreach (long value in values)
        {
            long complement = target - value;
            if (complement >= 0 && complement <= maxValue) pairs += countOf[complement];
            countOf[value]++;
        }
        Console.WriteLine(pairs);
    }
}
