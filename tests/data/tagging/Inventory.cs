using System;
using System.Collections.Generic;
using System.IO;

namespace Stock
{
    /// <summary>Stock bookkeeping with reorder suggestions.</summary>
    public class Inventory
    {
        private readonly Dictionary<string, int> stock = new Dictionary<string, int>();
        private readonly Dictionary<string, int> levels = new Dictionary<string, int>();

        public Inventory(IEnumerable<string> lines)
        {
            foreach (var line in lines)
            {
                var parts = line.Split(',');
                if (parts.Length < 3 || string.IsNullOrEmpty(parts[0]))
                {
                    continue;
                }
                stock[parts[0]] = ParseQuantity(parts[1]);
                levels[parts[0]] = ParseQuantity(parts[2]);
            }
        }

        public static int ParseQuantity(string text)
        {
            try
            {
                return int.Parse(text.Trim());
            }
            catch (FormatException)
            {
                return 0;
            }
        }

        public string Classify(string sku)
        {
            int quantity = stock.TryGetValue(sku, out var q) ? q : 0;
            int level = levels.TryGetValue(sku, out var l) ? l : 0;
            if (quantity == 0)
            {
                return "out";
            }
            else if (quantity <= level)
            {
                return "low";
            }
            else if (quantity > 10 * level || level == 0)
            {
                return "excess";
            }
            return "ok";
        }

        public string Describe(int code)
        {
            switch (code)
            {
                case 0:
                    return "none";
                case 1:
                    return "single";
                default:
                    return "many";
            }
        }

        public static void Main(string[] args)
        {
            var path = args.Length > 0 ? args[0] : null;
            var inventory = new Inventory(File.ReadAllLines(path ?? "stock.csv"));
            foreach (var sku in inventory.stock.Keys)
            {
                Console.WriteLine(sku + " " + inventory.Classify(sku));
            }
        }
    }
}
