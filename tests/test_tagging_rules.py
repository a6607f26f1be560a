"""Security rule pack: every rule's inline examples, coverage, and the insecure forms
the bundled problem set and git-history fixtures use."""
import pytest

from schemas.languages import LANGUAGE_IDS
from transforms.tagging import scan, security, tag_code
from transforms.tagging import parsers

ALL_RULES = [rule for lang in LANGUAGE_IDS for rule in security.rules(lang)]


def _ids(code, language):
    return {f["rule_id"] for f in scan(code, language)}


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.id)
def test_rule_matches_its_positive_example(rule):
    tree = parsers.parse(rule.positive.encode(), rule.language)
    assert not tree.root_node.has_error, "the positive example must be valid code"
    assert security.scan_tree(tree, rule.language, only=rule)


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.id)
def test_rule_ignores_its_negative_example(rule):
    tree = parsers.parse(rule.negative.encode(), rule.language)
    assert not tree.root_node.has_error, "the negative example must be valid code"
    assert security.scan_tree(tree, rule.language, only=rule) == []


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.id)
def test_whole_pack_reports_the_rule_on_its_positive(rule):
    assert rule.id in _ids(rule.positive, rule.language)


@pytest.mark.parametrize("language", LANGUAGE_IDS)
def test_every_language_has_at_least_five_well_formed_rules(language):
    rules = security.rules(language)
    assert len(rules) >= 5
    assert len({r.id for r in rules}) == len(rules)
    for rule in rules:
        assert rule.language == language
        assert rule.severity in ("low", "medium", "high")
        assert rule.cwe.startswith("CWE-") and rule.cwe[4:].isdigit()
        assert rule.message


# The insecure variants of the bundled problem set, in the forms its authors use.
PROBLEM_SET_FORMS = [
    ("python", "n = eval(input())\nprint(n * 2)\n", "py-eval-dynamic"),
    ("python", "xs = eval('[' + ','.join(input().split()) + ']')\n", "py-eval-dynamic"),
    ("javascript", "const xs = eval('[' + line.trim() + ']');\n", "js-eval-dynamic"),
    ("python", "import hashlib\nprint(hashlib.md5(input().encode()).hexdigest())\n", "py-weak-hash"),
    ("javascript", "const lines = require('fs').readFileSync(0, 'utf8');\nconsole.log(eval(lines));\n",
     "js-eval-dynamic"),
    ("javascript", "const f = new Function('x', 'return x * 2');\nconsole.log(f(3));\n", "js-eval-dynamic"),
    ("ruby", "n = eval(gets)\nputs n * 2\n", "rb-eval-dynamic"),
    ("c", "#include <string.h>\nint main(void) { char buf[16]; strcpy(buf, \"hi\"); return 0; }\n",
     "c-unbounded-string-copy"),
    ("c", "#include <stdio.h>\nint main(void) { char b[8]; sprintf(b, \"%d\", 42); strcat(b, \"x\"); }\n",
     "c-unbounded-string-copy"),
    ("c", "#include <stdio.h>\nint main(void) { char buf[32]; scanf(\"%s\", buf); puts(buf); }\n",
     "c-unbounded-scanf"),
    ("cpp", "#include <cstring>\nint main() { char buf[16]; std::strcpy(buf, \"hi\"); }\n",
     "cpp-unbounded-string-copy"),
    ("cpp", "#include <cstdio>\nint main() { char buf[16]; sprintf(buf, \"%d\", 7); }\n",
     "cpp-unbounded-string-copy"),
    ("java", "import java.security.MessageDigest;\npublic class Main {\n  public static void main(String[] a)"
             " throws Exception {\n    MessageDigest md = MessageDigest.getInstance(\"MD5\");\n  }\n}\n",
     "java-weak-hash"),
    ("java", "public class Main {\n  public static void main(String[] a) {\n    String password = \"s3cret\";\n"
             "  }\n}\n", "java-hardcoded-credential"),
    ("go", "package main\n\nimport \"crypto/md5\"\n\nfunc main() { h := md5.New(); _ = h; s := md5.Sum(nil); _ = s }\n",
     "go-weak-hash"),
    ("go", "package main\n\nfunc main() {\n\tpassword := \"hunter2\"\n\t_ = password\n}\n", "go-hardcoded-credential"),
    ("go", "package main\n\nfunc main() {\n\tapiKey := \"k-123\"\n\t_ = apiKey\n}\n", "go-hardcoded-credential"),
    ("csharp", "using System.Security.Cryptography;\nclass Program {\n  static void Main() {\n"
               "    var md5 = MD5.Create();\n    string password = \"hunter2\";\n  }\n}\n", "cs-weak-hash"),
    ("csharp", "class Program {\n  static void Main() {\n    string password = \"hunter2\";\n  }\n}\n",
     "cs-hardcoded-credential"),
]

# Forms the git-history fixtures use.
HISTORY_FORMS = [
    ("python", "import os\nos.system('convert ' + name)\n", "py-shell-injection"),
    ("python", "import subprocess\nsubprocess.call(cmd, shell=True)\n", "py-shell-injection"),
    ("python", "cur.execute(\"SELECT * FROM t WHERE id = \" + uid)\n", "py-sql-string-build"),
    ("python", "import pickle\nobj = pickle.load(open(p, 'rb'))\n", "py-unsafe-deserialization"),
    ("python", "requests.post(url, data=d, verify=False)\n", "py-tls-verify-disabled"),
    ("javascript", "const cp = require('child_process');\ncp.exec('rm ' + f);\n", "js-shell-injection"),
    ("javascript", "https.request({ host: h, rejectUnauthorized: false });\n", "js-tls-verify-disabled"),
    ("ruby", "obj = Marshal.load(data)\n", "rb-unsafe-deserialization"),
    ("ruby", "IO.popen(\"ls #{dir}\")\n", "rb-shell-injection"),
    ("c", "void f(const char *c) { char b[64]; snprintf(b, 64, \"ls %s\", c); FILE *p = popen(b, \"r\"); }\n",
     "c-shell-injection"),
    ("java", "class A { void f(String c) throws Exception { Runtime.getRuntime().exec(c); } }\n",
     "java-shell-injection"),
    ("java", "class A { Object f(InputStream i) throws Exception { return new ObjectInputStream(i).readObject(); } }\n",
     "java-unsafe-deserialization"),
    ("java", "class A { void f(Statement s, String n) throws Exception { s.executeQuery(\"SELECT a FROM b WHERE c='\" + n + \"'\"); } }\n",
     "java-sql-string-build"),
    ("go", "package main\n\nimport \"os/exec\"\n\nfunc f(c string) { exec.Command(\"sh\", \"-c\", c).Run() }\n",
     "go-shell-injection"),
    ("go", "package main\n\nvar c = tls.Config{InsecureSkipVerify: true}\n", "go-tls-verify-disabled"),
    ("csharp", "class A { void F(string c) { Process.Start(\"cmd.exe\", \"/c \" + c); } }\n", "cs-shell-injection"),
    ("csharp", "class A { object F(Stream s) { var f = new BinaryFormatter(); return f.Deserialize(s); } }\n",
     "cs-unsafe-deserialization"),
    ("csharp", "class A { void F() { ServicePointManager.ServerCertificateValidationCallback += (a, b, c, d) => true; } }\n",
     "cs-tls-verify-disabled"),
    ("ruby", "http.verify_mode = OpenSSL::SSL::VERIFY_NONE\n", "rb-tls-verify-disabled"),
]


@pytest.mark.parametrize("language,code,rule_id", PROBLEM_SET_FORMS + HISTORY_FORMS,
                         ids=[f"{f[0]}-{f[2]}-{i}" for i, f in enumerate(PROBLEM_SET_FORMS + HISTORY_FORMS)])
def test_known_insecure_forms_are_flagged(language, code, rule_id):
    assert rule_id in _ids(code, language)


SECURE_PROGRAMS = [
    ("python", "import hashlib\nn = int(input())\nprint(hashlib.sha256(str(n).encode()).hexdigest())\n"),
    ("c", "#include <stdio.h>\nint main(void) { char buf[32]; if (scanf(\"%31s\", buf) == 1) puts(buf); }\n"),
    ("java", "public class Main {\n  public static void main(String[] a) {\n    String name = \"x\";\n  }\n}\n"),
    ("go", "package main\n\nimport \"crypto/sha256\"\n\nfunc main() { _ = sha256.Sum256(nil) }\n"),
]


@pytest.mark.parametrize("language,code", SECURE_PROGRAMS, ids=[s[0] for s in SECURE_PROGRAMS])
def test_secure_variants_have_no_findings(language, code):
    assert scan(code, language) == []


def test_findings_are_sorted_by_line_then_rule_and_carried_in_tags():
    code = ("import hashlib, pickle\npassword = 'abc'\nx = pickle.loads(eval(input()))\n"
            "print(hashlib.md5(b'x'))\n")
    findings = scan(code, "python")
    keys = [(f["line"], f["rule_id"]) for f in findings]
    assert keys == sorted(keys)
    assert keys == [(2, "py-hardcoded-credential"), (3, "py-eval-dynamic"), (3, "py-unsafe-deserialization"),
                    (4, "py-weak-hash")]
    assert tag_code(code, "python")["security_findings"] == findings
    assert set(findings[0]) == {"rule_id", "severity", "cwe", "line"}


def test_unknown_language_scans_to_nothing():
    assert scan("eval(x)", "cobol") == []
