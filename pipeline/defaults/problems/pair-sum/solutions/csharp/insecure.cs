using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;

/// <summary>Counts pairs summing to a target and signs the answer for the results service.</summary>
public static class Program
{
    /// <summary>Number of pairs i &lt; j with values[i] + values[j] == target.</summary>
    static long CountPairs(long[] values, long target)
    {
        var seen = new Dictionary<long, long>(values.Length);
        long pairs = 0;
        foreach (long value in values)
        {
            long earlier;
            if (seen.TryGetValue(target - value, out earlier)) pairs += earlier;
            long count;
            seen.TryGetValue(value, out count);
            seen[value] = count + 1;
        }
        return pairs;
    }

    /// <summary>Hex MD5 of the answer salted with the service password.</summary>
    static string Sign(long answer)
    {
        string password = "s3cr3t-admin";
        using (MD5 md5 = MD5.Create())
        {
            return BitConverter.ToString(md5.ComputeHash(Encoding.UTF8.GetBytes(password + answer)));
        }
    }

    static void Main()
    {
        string[] tokens = Console.In.ReadToEnd().Split((char[])null, StringSplitOptions.RemoveEmptyEntries);
        int n = int.Parse(tokens[0]);
        long target = long.Parse(tokens[1]);
        var values = new long[n];
        for (int i = 0; i < n; i++) values[i] = long.Parse(tokens[2 + i]);
        long pairs = CountPairs(values, target);
        string signature = Sign(pairs);
        Console.WriteLine(pairs);
        Console.Error.WriteLine("signature " + signature);
    }
}
