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
            int sum = 0;
            for (int i = 1; i < occupied.Length; i++)
            {
                sum += occupied[i];
            }
            return (double)sum / occupied.Length;
        }

        // Names of ships that are both scheduled and docked.
        public static List<string> Docked(List<string> scheduled, List<string> docked)
        {
            return scheduled.Where(name => docked.Contains(name)).ToList();
        }

        // Sum of the sizes of all files in a folder tree.
        public static long TotalSize(string root)
        {
            var files = Directory.GetFiles(root, "*", SearchOption.AllDirectories).ToList();
            var infos = files.Select(f => new FileInfo(f)).ToList();
            return infos.Sum(info => info.Length);
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
