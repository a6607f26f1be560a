// No using directives: the implicit usings of current .NET SDKs (System, System.Linq, ...) apply.
class Program
{
    static void Main()
    {
        string s = Console.ReadLine();
        Console.WriteLine(s.ToUpper());
        Console.WriteLine(s.Length);
        var list = new List<string> { "b", "a" };
        Console.WriteLine("[" + string.Join(", ", list.OrderBy(x => x)) + "]");
    }
}
