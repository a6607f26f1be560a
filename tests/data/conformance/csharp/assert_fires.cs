using System;
using System.Diagnostics;

class Program
{
    static void Main()
    {
        int x = 2;
        Debug.Assert(x + x == 5, "arithmetic is broken");
        Console.WriteLine("unreachable");
    }
}
