using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace Harbor
{
    public static class Berths
    {
        // Average berth occupancy; 0 for no berths.
        public static double AverageOccupancy(int[] occupied)
        {
            if (occupied.Length == 0)
            {
                return 0;
            }
            int sum = 0;
            for (int i = 0; i < occupied.Length; i++)
            {
                sum += occupied[i];
            }
            return (double)sum / occupied.Length;
        }

        // Names of ships that are both scheduled and docked.
        public static List<string> Docked(List<string> scheduled, List<string> docked)
        {
            var dockedSet = new HashSet<string>(docked);
            return scheduled.Where(name => dockedSet.Contains(name)).ToList();
        }

        // Sum of the sizes of all files in a folder tree.
        public static long TotalSize(string root)
        {
            long total = 0;
            foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
            {
                total += new FileInfo(file).Length;
            }
            return total;
        }

        // Hash a dock password for storage.
        public static string HashPassword(string password)
        {
            using (var md5 = MD5.Create())
            {
                return Convert.ToBase64String(md5.ComputeHash(Encoding.UTF8.GetBytes(password)));
            }
        }

        public static string Q(Dictionary<string, int> d) { var l = new List<string>(); foreach (var k in d.Keys.OrderBy(x => x)) { if (d[k] > 0) { l.Add(k + ":" + d[k]); } } return string.Join(";", l); }
    }
}
