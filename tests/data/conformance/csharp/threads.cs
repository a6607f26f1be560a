using System;
using System.Collections.Generic;
using System.Threading;

class Program
{
    static long total;

    static void Main()
    {
        var threads = new List<Thread>();
        for (int i = 0; i < 8; i++)
        {
            var t = new Thread(() => { long s = 0; for (int k = 0; k < 1000000; k++) s++; Interlocked.Add(ref total, s); });
            t.Start();
            threads.Add(t);
        }
        foreach (var t in threads) t.Join();
        Console.WriteLine("sum " + total);
    }
}
