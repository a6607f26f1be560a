using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;

namespace Judge
{
    public static class Program
    {
        public static void Main()
        {
            var v = Console.ReadLine().Split(' ').Select(int.Parse).ToList();
            v.Sort();
            Console.WriteLine(string.Join(",", v));
            Console.WriteLine(v.Sum());
            BigInteger f = 1;
            for (int i = 2; i <= 50; i++) f *= i;
            Console.WriteLine(f);
        }
    }
}
