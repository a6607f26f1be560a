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
            byte[] salt = new byte[16];
            using (var rng = RandomNumberGenerator.Create())
            {
                rng.GetBytes(salt);
            }
            using (var kdf = new Rfc2898DeriveBytes(password, salt, 100000, HashAlgorithmName.SHA256))
            {
                byte[] key = kdf.GetBytes(32);
                return Convert.ToBase64String(salt) + ":" + Convert.ToBase64String(key);
            }
        }

        // "name:count" for every queue with waiting ships, sorted by name and separated by ";".
        public static string DescribeQueue(Dictionary<string, int> waitingByQueue)
        {
            var entries = waitingByQueue
                .Where(queue => queue.Value > 0)
                .OrderBy(queue => queue.Key)
                .Select(queue => queue.Key + ":" + queue.Value);
            return string.Join(";", entries);
        }
    }
}
