using System;
using System.Collections;
using System.IO;
using System.Text;

/// <summary>Answers prime-counting queries with one bit-packed sieve of Eratosthenes.</summary>
public static class Program
{
    /// <summary>Bit i is set for every composite i &lt;= limit.</summary>
    static BitArray Sieve(int limit)
    {
        var composite = new BitArray(limit + 1);
        for (long p = 2; p * p <= limit; p++)
        {
            if (composite[(int)p]) continue;
            for (long multiple = p * p; multiple <= limit; multiple += p) composite[(int)multiple] = true;
        }
        return composite;
    }

    static void Main()
    {
        string[] tokens = Console.In.ReadToEnd().Split((char[])null, StringSplitOptions.RemoveEmptyEntries);
        int q = int.Parse(tokens[0]);
        var queries = new int[q];
        var order = new int[q];
        for (int i = 0; i < q; i++)
        {
            queries[i] = int.Parse(tokens[1 + i]);
            order[i] = i;
        }
        // Answer queries in increasing order of n with a single sweep over the sieve.
        Array.Sort((int[])queries.Clone(), order);
        BitArray composite = Sieve(queries[order[q - 1]]);
        var answers = new int[q];
        int primesSeen = 0, next = 2;
        foreach (int index in order)
        {
            for (; next <= queries[index]; next++)
            {
                if (!composite[next]) primesSeen++;
            }
            answers[index] = primesSeen;
        }
        var output = new StringBuilder();
        foreach (int answer in answers) output.Append(answer).Append('\n');
        Console.Out.Write(output);
    }
}
