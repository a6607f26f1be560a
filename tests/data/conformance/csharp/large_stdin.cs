using System;
using System.IO;

class Program
{
    static void Main()
    {
        var input = new StreamReader(Console.OpenStandardInput(), System.Text.Encoding.UTF8, false, 1 << 16);
        long total = 0;
        string line;
        while ((line = input.ReadLine()) != null)
            foreach (var tok in line.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries))
                total += long.Parse(tok);
        Console.WriteLine(total);
    }
}
