// Most frequent words: open-addressing table given generous headroom up front.
using System;
using System.Collections.Generic;
using System.Text;

public static class Program
{
    // Slots per input word (rounded up to a power of two), so the table never grows.
    const int Headroom = 448;
    const int Empty = -1;

    static void Main()
    {
        string[] tokens = Console.In.ReadToEnd().Split(
            new[] { ' ', '\n', '\r' }, StringSplitOptions.RemoveEmptyEntries);
        int k = int.Parse(tokens[0]);
        int size = 1;
        while (size < tokens.Length)
        {
            size *= 2;
        }
        size *= Headroom;
        var keys = new int[size];   // index into tokens of the slot's word
        var counts = new int[size];
        for (int i = 0; i < size; i++)
        {
            keys[i] = Empty;
        }
        var used = new List<int>();
        for (int t = 1; t < tokens.Length; t++)
        {
            int slot = (int)((uint)StringComparer.Ordinal.GetHashCode(tokens[t]) % (uint)size);
            while (keys[slot] != Empty && tokens[keys[slot]] != tokens[t])
            {
                slot = (slot + 1) % size;
            }
            if (keys[slot] == Empty)
            {
                keys[slot] = t;
                used.Add(slot);
            }
            counts[slot]++;
        }
        used.Sort((a, b) => counts[a] != counts[b]
            ? counts[b].CompareTo(counts[a])
            : string.CompareOrdinal(tokens[keys[a]], tokens[keys[b]]));
        var output = new StringBuilder();
        for (int i = 0; i < Math.Min(k, used.Count); i++)
        {
            output.Append(tokens[keys[used[i]]]).Append(' ').Append(counts[used[i]]).Append('\n');
        }
        Console.Out.Write(output.ToString());
    }
}
