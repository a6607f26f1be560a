"""Probe programs, one per language, used by the tests and the benchmark.

Each reads ``COMMAND N`` on stdin:
  echo N   print N
  spin N   N steps of a dependent LCG chain (pure CPU; prints one bit so it is not optimised away)
  alloc N  allocate N MiB and touch every page (peak RSS grows by N MiB)
  crash    fail at run time (C: SIGSEGV, C++: SIGABRT, others: an uncaught exception)

``SPIN_STEPS`` holds step counts that cost roughly 0.1 s of CPU on a CI-class
core; ``SYNTAX_ERRORS`` holds programs that do not build (or parse).
"""
from __future__ import annotations

PROBES: dict[str, str] = {
    "c": r"""#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(void) {
    char cmd[32] = ""; long n = 0;
    if (scanf("%31s %ld", cmd, &n) < 1) return 3;
    if (!strcmp(cmd, "echo")) { printf("%ld\n", n); return 0; }
    if (!strcmp(cmd, "spin")) {
        unsigned long x = 1;
        for (long i = 0; i < n; i++) x = x * 6364136223846793005UL + 1442695040888963407UL;
        printf("%lu\n", x >> 63); return 0;
    }
    if (!strcmp(cmd, "alloc")) {
        size_t size = (size_t)n << 20; volatile char *p = malloc(size);
        for (size_t i = 0; i < size; i += 4096) p[i] = 1;
        printf("%d\n", p[size - 4096]); return 0;
    }
    if (!strcmp(cmd, "crash")) { volatile int *p = NULL; *p = 1; }
    return 4;
}
""",
    "cpp": r"""#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>
int main() {
    std::string cmd; long n = 0;
    std::cin >> cmd >> n;
    if (cmd == "echo") { std::cout << n << "\n"; return 0; }
    if (cmd == "spin") {
        unsigned long x = 1;
        for (long i = 0; i < n; i++) x = x * 6364136223846793005UL + 1442695040888963407UL;
        std::cout << (x >> 63) << "\n"; return 0;
    }
    if (cmd == "alloc") {
        std::vector<char> v((size_t)n << 20);
        for (size_t i = 0; i < v.size(); i += 4096) v[i] = 1;
        std::cout << (int)v[v.size() - 4096] << "\n"; return 0;
    }
    if (cmd == "crash") throw std::runtime_error("boom");
    return 4;
}
""",
    "csharp": r"""using System;
class Program {
    static void Main() {
        var t = Console.In.ReadToEnd().Split((char[])null, StringSplitOptions.RemoveEmptyEntries);
        string cmd = t[0]; long n = t.Length > 1 ? long.Parse(t[1]) : 0;
        switch (cmd) {
            case "echo": Console.WriteLine(n); break;
            case "spin":
                ulong x = 1;
                for (long i = 0; i < n; i++) x = unchecked(x * 6364136223846793005UL + 1442695040888963407UL);
                Console.WriteLine(x >> 63); break;
            case "alloc":
                var b = new byte[n << 20];
                for (long i = 0; i < b.LongLength; i += 4096) b[i] = 1;
                Console.WriteLine(b[b.LongLength - 4096]); break;
            case "crash": throw new InvalidOperationException("boom");
        }
    }
}
""",
    "go": r"""package main

import (
	"bufio"
	"fmt"
	"os"
)

func main() {
	var cmd string
	var n int64
	fmt.Fscan(bufio.NewReader(os.Stdin), &cmd, &n)
	switch cmd {
	case "echo":
		fmt.Println(n)
	case "spin":
		x := uint64(1)
		for i := int64(0); i < n; i++ {
			x = x*6364136223846793005 + 1442695040888963407
		}
		fmt.Println(x >> 63)
	case "alloc":
		b := make([]byte, n<<20)
		for i := 0; i < len(b); i += 4096 {
			b[i] = 1
		}
		fmt.Println(b[len(b)-4096])
	case "crash":
		panic("boom")
	}
}
""",
    "java": r"""import java.io.*;
import java.util.*;

public class Main {
    public static void main(String[] args) throws IOException {
        StringTokenizer t = new StringTokenizer(new BufferedReader(new InputStreamReader(System.in)).readLine());
        String cmd = t.nextToken();
        long n = t.hasMoreTokens() ? Long.parseLong(t.nextToken()) : 0;
        switch (cmd) {
            case "echo": System.out.println(n); break;
            case "spin":
                long x = 1;
                for (long i = 0; i < n; i++) x = x * 6364136223846793005L + 1442695040888963407L;
                System.out.println(x >>> 63); break;
            case "alloc":
                byte[] b = new byte[(int) (n << 20)];
                for (int i = 0; i < b.length; i += 4096) b[i] = 1;
                System.out.println(b[b.length - 4096]); break;
            case "crash": throw new IllegalStateException("boom");
        }
    }
}
""",
    "javascript": r"""const [cmd, arg] = require("fs").readFileSync(0, "utf8").trim().split(/\s+/);
const n = Number(arg || 0);
if (cmd === "echo") console.log(n);
else if (cmd === "spin") {
  let x = 1;
  for (let i = 0; i < n; i++) x = (x * 1103515245 + 12345) % 2147483648;
  console.log(x >>> 30);
} else if (cmd === "alloc") {
  const b = Buffer.alloc(n * 1048576);
  for (let i = 0; i < b.length; i += 4096) b[i] = 1;
  console.log(b[b.length - 4096]);
} else if (cmd === "crash") throw new Error("boom");
""",
    "python": r"""import sys

tokens = sys.stdin.read().split()
cmd, n = tokens[0], int(tokens[1]) if len(tokens) > 1 else 0
if cmd == "echo":
    print(n)
elif cmd == "spin":
    x = 1
    for _ in range(n):
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
    print(x >> 30)
elif cmd == "alloc":
    b = bytearray(n << 20)
    for i in range(0, len(b), 4096):
        b[i] = 1
    print(b[-4096])
elif cmd == "crash":
    raise RuntimeError("boom")
""",
    "ruby": r"""tokens = STDIN.read.split
cmd = tokens[0]
n = (tokens[1] || 0).to_i
case cmd
when "echo" then puts n
when "spin"
  x = 1
  n.times { x = (x * 1103515245 + 12345) & 0x7FFFFFFF }
  puts x >> 30
when "alloc"
  b = "\0".b * (n << 20)
  i = 0
  while i < b.bytesize
    b.setbyte(i, 1)
    i += 4096
  end
  puts b.getbyte(b.bytesize - 4096)
when "crash" then raise "boom"
end
""",
}

SPIN_STEPS: dict[str, int] = {
    "c": 100_000_000, "cpp": 100_000_000, "csharp": 100_000_000, "go": 100_000_000, "java": 100_000_000,
    "javascript": 8_000_000, "python": 1_500_000, "ruby": 5_000_000,
}

SYNTAX_ERRORS: dict[str, str] = {
    "c": "int main(void) { return 0 }\n",
    "cpp": "int main() { undeclared_name(); }\n",
    "csharp": "class Program { static void Main() { int x = ; } }\n",
    "go": "package main\nfunc main() { x := 1 }\n",
    "java": "public class Main { public static void main(String[] a) { int x = ; } }\n",
    "javascript": "function f( {\n",
    "python": "def f(:\n    pass\n",
    "ruby": "def f(\n",
}
