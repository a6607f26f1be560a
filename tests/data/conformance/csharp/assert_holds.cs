using System;
using System.Diagnostics;

class Program
{
    static void Main()
    {
        int x = 2;
        Debug.Assert(x + x == 4);
        Trace.Assert(x > 0);
        Console.WriteLine("ok");
    }
}
