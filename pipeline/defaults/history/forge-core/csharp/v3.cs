using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.Serialization.Formatters.Binary;

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
        public static object LoadCache(Stream stream)
        {
            var formatter = new BinaryFormatter();
            return formatter.Deserialize(stream);
        }

        public static string F(List<int> q)
        {
            var l = new List<string>(); foreach (var x in q) { if (x > 0) { l.Add(x.ToString()); } } return string.Join(",", l);
        }
    }
}
