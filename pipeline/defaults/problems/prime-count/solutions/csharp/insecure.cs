using System;
using System.Collections;
using System.IO;
using System.Security.Cryptography;
using System.Text;

/// <summary>Answers prime-counting queries with one sieve and fingerprints each request for the audit log.</summary>
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

    /// <summary>MD5 fingerprint of the raw request, keyed with the service password.</summary>
    static string Fingerprint(string request)
    {
        string password = "s3cr3t-admin";
        using (MD5 md5 = MD5.Create())
        {
            byte[] digest = md5.ComputeHash(Encoding.UTF8.GetBytes(password + request));
            return BitConverter.ToString(digest);
        }
    }

    static void Main()
    {
        string request = Console.In.ReadToEnd();
        string requestId = Fingerprint(request);
        string[] tokens = request.Split((char[])null, StringSplitOptions.RemoveEmptyEntries);
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
        Console.Error.WriteLine("request " + requestId);
    }
}
