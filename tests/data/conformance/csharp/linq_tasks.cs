using System;
using System.Linq;
using System.Threading.Tasks;

class Program
{
    static async Task<int> Answer() { await Task.Delay(10); return 42; }

    static void Main()
    {
        var evens = Enumerable.Range(1, 6).Where(i => i % 2 == 0);
        Console.WriteLine("evens " + string.Join(",", evens));
        Console.WriteLine("task " + Answer().Result);
    }
}
