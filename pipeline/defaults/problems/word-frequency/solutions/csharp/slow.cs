// Most frequent words, naive: parallel lists searched linearly for every word.
using System;
using System.Collections.Generic;
using System.Text;

public static class Program
{
    static void Main()
    {
        string[] tokens = Console.In.ReadToEnd().Split(
            new[] { ' ', '\n', '\r' }, StringSplitOptions.RemoveEmptyEntries);
        int k = int.Parse(tokens[0]);
        var words = new List<string>();
        var counts = new List<int>();
        for (int t = 1; t < tokens.Length; t++)
        {
            int index = words.IndexOf(tokens[t]);
            if (index < 0)
            {
                words.Add(tokens[t]);
                counts.Add(1);
            }
            else
            {
                counts[index]++;
            }
        }
        var order = new List<int>();
        for (int i = 0; i < words.Count; i++)
        {
            order.Add(i);
        }
        order.Sort((a, b) => counts[a] != counts[b]
            ? counts[b].CompareTo(counts[a])
            : string.CompareOrdinal(words[a], words[b]));
        var output = new StringBuilder();
        for (int i = 0; i < Math.Min(k, order.Count); i++)
        {
            output.Append(words[order[i]]).Append(' ').Append(counts[order[i]]).Append('\n');
        }
        Console.Out.Write(output.ToString());
    }
}
