using System;

class Program
{
    static void Main()
    {
        Console.WriteLine("héllo wörld ✓ 你好 🙂");
    }
}
