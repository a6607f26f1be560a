using System;
using System.Collections.Generic;
using System.Linq;

namespace Text
{
    public class WordStats
    {
        private readonly Dictionary<string, int> counts = new Dictionary<string, int>();
        private static readonly HashSet<string> StopWords = new HashSet<string> { "the", "a", "an", "and", "of" };

        public int Lines { get; private set; }

        public void Feed(string line, bool keepStopWords)
        {
            Lines++;
            foreach (var raw in line.Split(' ', '\t', ',', '.', ';'))
            {
                var word = raw.Trim().ToLowerInvariant();
                if (word.Length == 0 || (!keepStopWords && StopWords.Contains(word)))
                {
                    continue;
                }
                counts[word] = counts.TryGetValue(word, out var n) ? n + 1 : 1;
            }
        }

        public IEnumerable<KeyValuePair<string, int>> Top(int n)
        {
            return counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).Take(n);
        }

        public string Summary()
        {
            int total = 0;
            string longest = "";
            foreach (var kv in counts)
            {
                total += kv.Value;
                if (kv.Key.Length > longest.Length)
                {
                    longest = kv.Key;
                }
            }
            return total == 0 ? "empty" : $"{total} words, longest {longest}";
        }

        public static void Main(string[] args)
        {
            var stats = new WordStats();
            bool keep = args.Length > 0 && args[0] == "--all";
            string line;
            while ((line = Console.ReadLine()) != null)
            {
                stats.Feed(line, keep);
            }
            foreach (var kv in stats.Top(10))
            {
                Console.WriteLine("{0,6} {1}", kv.Value, kv.Key);
            }
            Console.WriteLine(stats.Summary());
        }
    }
}
