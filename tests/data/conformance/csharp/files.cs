using System;
using System.IO;

class Program
{
    static void Main()
    {
        File.WriteAllLines("notes.txt", new[] { "alpha", "beta" });
        var lines = File.ReadAllLines("notes.txt");
        Console.WriteLine(lines.Length + " lines");
        Console.WriteLine(lines[1]);
        File.Delete("notes.txt");
        Console.WriteLine(File.Exists("notes.txt"));
    }
}
