using System;
using System.Linq;

/// <summary>Counts primes by testing every candidate with trial division.</summary>
public static class Program
{
    static bool IsPrime(long n)
    {
        if (n < 2) return false;
        for (long d = 2; d <= Math.Sqrt(n); d++)
        {
            if (n % d == 0) return false;
        }
        return true;
    }

    static void Main()
    {
        int[] tokens = Console.In.ReadToEnd().Split((char[])null, StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray();
        int[] queries = tokens.Skip(1).Take(tokens[0]).ToArray();
        int limit = Math.Max(1, queries.Max());
        // primesUpTo[i] is built one trial-division test at a time.
        var primesUpTo = new int[limit + 1];
        for (int i = 2; i <= limit; i++) primesUpTo[i] = primesUpTo[i - 1] + (IsPrime(i) ? 1 : 0);
        foreach (int n in queries) Console.WriteLine(primesUpTo[n]);
    }
}
