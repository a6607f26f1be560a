// Most frequent words: count with a dictionary, then sort by (-count, word).
using System;
using System.Collections.Generic;
using System.Text;

public static class Program
{
    // Counts how often each word occurs in tokens[1..].
    static Dictionary<string, int> CountWords(string[] tokens)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 1; i < tokens.Length; i++)
        {
            counts.TryGetValue(tokens[i], out int count);
            counts[tokens[i]] = count + 1;
        }
        return counts;
    }

    static void Main()
    {
        string[] tokens = Console.In.ReadToEnd().Split(
            new[] { ' ', '\n', '\r' }, StringSplitOptions.RemoveEmptyEntries);
        int k = int.Parse(tokens[0]);
        var entries = new List<KeyValuePair<string, int>>(CountWords(tokens));
        entries.Sort((a, b) => a.Value != b.Value
            ? b.Value.CompareTo(a.Value)
            : string.CompareOrdinal(b.Key, a.Key));
        var output = new StringBuilder();
        for (int i = 0; i < Math.Min(k, entries.Count); i++)
        {
            output.Append(entries[i].Key).Append(' ').Append(entries[i].Value).Append('\n');
        }
        Console.Out.Write(output.ToString());
    }
}
