using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

/// <summary>Answers prime-counting queries from memoised prefix tables: one full pi table per distinct query.</summary>
public static class Program
{
    static readonly Dictionary<int, int[]> TableCache = new Dictionary<int, int[]>();

    static bool[] Sieve(int limit)
    {
        var isPrime = new bool[limit + 1];
        for (int i = 2; i <= limit; i++) isPrime[i] = true;
        for (long p = 2; p * p <= limit; p++)
        {
            if (!isPrime[p]) continue;
            for (long multiple = p * p; multiple <= limit; multiple += p) isPrime[multiple] = false;
        }
        return isPrime;
    }

    /// <summary>Returns (and caches) a table whose entry i is the number of primes &lt;= i, for i &lt;= n.</summary>
    static int[] PrimeCountTable(bool[] isPrime, int n)
    {
        int[] table;
        if (!TableCache.TryGetValue(n, out table))
        {
            table = new int[n + 1];
            for (int i = 1; i <= n; i++) table[i] = table[i - 1] + (isPrime[i] ? 1 : 0);
            TableCache[n] = table;
        }
        return table;
    }

    static void Main()
    {
        int[] tokens = Console.In.ReadToEnd().Split((char[])null, StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray();
        int[] queries = tokens.Skip(1).Take(tokens[0]).ToArray();
        bool[] isPrime = Sieve(queries.Max());
        var output = new StringBuilder();
        foreach (int n in queries) output.Append(PrimeCountTable(isPrime, n)[n]).Append('\n');
        Console.Out.Write(output);
    }
}
