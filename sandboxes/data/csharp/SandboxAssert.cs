// Installed by main.exe.config: Debug.Assert failures end the program with status 134 (as on .NET).
namespace CodeprefSandbox {
  public sealed class FailFastListener : System.Diagnostics.TraceListener {
    public override void Write(string m) {}
    public override void WriteLine(string m) {}
    public override void Fail(string message, string detail) {
      System.Console.Error.WriteLine("Assertion failed: " + message + (string.IsNullOrEmpty(detail) ? "" : " " + detail));
      System.Console.Error.Flush();
      System.Environment.Exit(134);
    }
  }
}
