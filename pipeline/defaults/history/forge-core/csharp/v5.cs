using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Forge
{
    public static class Orders
    {
        // Number of pages needed to show all orders.
        public static int PageCount(int total, int perPage)
        {
            return (total + perPage - 1) / perPage;
        }

        // Ids of the orders whose customer is on the VIP list.
        public static List<string> VipOrders(List<KeyValuePair<string, string>> orders, List<string> vips)
        {
            var vipSet = new HashSet<string>(vips);
            var result = new List<string>();
            foreach (var order in orders)
            {
                if (vipSet.Contains(order.Value))
                {
                    result.Add(order.Key);
                }
            }
            return result;
        }

        // Largest order amount in a CSV export (id,amount per line).
        public static decimal MaxAmount(string path)
        {
            decimal max = 0;
            bool any = false;
            foreach (var line in File.ReadLines(path))
            {
                decimal amount = decimal.Parse(line.Split(',')[1]);
                if (!any || amount > max)
                {
                    max = amount;
                    any = true;
                }
            }
            return max;
        }

        // Restore a cached order list.
        public static List<string> LoadCache(Stream stream)
        {
            var ids = new List<string>();
            using (var reader = new StreamReader(stream))
            {
                string line;
                while ((line = reader.ReadLine()) != null)
                {
                    ids.Add(line.Trim());
                }
            }
            return ids;
        }

        // Comma-separated list of the positive quantities, in order.
        public static string FormatPositiveQuantities(List<int> quantities)
        {
            var positive = quantities.Where(quantity => quantity > 0);
            return string.Join(",", positive);
        }
    }
}
