using System;
using System.Collections.Generic;

/// <summary>Counts pairs summing to a target with a single pass and a dictionary of value counts.</summary>
public static class Program
{
    /// <summary>Number of pairs i &lt; j with values[i] + values[j] == target.</summary>
    static long CountPairs(long[] values, long target)
    {
        var seen = new Dictionary<long, long>(values.Length);
        long pairs = 0;
        foreach (long value in values)
        {
            long count;
            seen.TryGetValue(value, out count);
            seen[value] = count + 1;
            long earlier;
            if (seen.TryGetValue(target - value, out earlier)) pairs += earlier;
        }
        return pairs;
    }

    static void Main()
    {
        string[] tokens = Console.In.ReadToEnd().Split((char[])null, StringSplitOptions.RemoveEmptyEntries);
        int n = int.Parse(tokens[0]);
        long target = long.Parse(tokens[1]);
        var values = new long[n];
        for (int i = 0; i < n; i++) values[i] = long.Parse(tokens[2 + i]);
        Console.WriteLine(CountPairs(values, target));
    }
}
