/// What the `imports` gate knows about Python modules outside the node.
enum PythonModules {
    /// Standard-library modules a node may import unguarded: CPython 3.11's general-purpose
    /// modules, without the platform-specific (`winreg`, `msvcrt`), GUI (`tkinter`,
    /// `turtle`), deprecated-for-removal (`imp`, `asyncore`, `distutils`) and toy (`this`,
    /// `antigravity`) ones, which a generated node has no business importing.
    static let standardLibrary: Set<String> = [
        "__future__", "abc", "argparse", "array", "ast", "asyncio", "atexit", "base64", "binascii", "bisect", "builtins",
        "bz2", "calendar", "cmath", "codecs", "collections", "colorsys", "concurrent", "configparser", "contextlib",
        "contextvars", "copy", "copyreg", "csv", "ctypes", "dataclasses", "datetime", "dbm", "decimal", "difflib", "dis",
        "email", "enum", "errno", "fcntl", "filecmp", "fileinput", "fnmatch", "fractions", "functools", "gc", "getpass",
        "gettext", "glob", "graphlib", "gzip", "hashlib", "heapq", "hmac", "html", "http", "importlib", "inspect", "io",
        "ipaddress", "itertools", "json", "keyword", "linecache", "locale", "logging", "lzma", "mailbox", "math",
        "mimetypes", "mmap", "multiprocessing", "numbers", "operator", "os", "pathlib", "pickle", "pkgutil", "platform",
        "plistlib", "pprint", "queue", "random", "re", "reprlib", "resource", "sched", "secrets", "select", "selectors",
        "shelve", "shlex", "shutil", "signal", "smtplib", "socket", "socketserver", "sqlite3", "ssl", "stat",
        "statistics", "string", "struct", "subprocess", "sys", "sysconfig", "tarfile", "tempfile", "textwrap",
        "threading", "time", "timeit", "tokenize", "tomllib", "traceback", "tracemalloc", "types", "typing",
        "unicodedata", "unittest", "urllib", "uuid", "warnings", "weakref", "wsgiref", "xml", "zipfile", "zlib",
        "zoneinfo",
    ]

    /// Test-only modules: allowed unguarded in files under `tests/` and in `test_*.py`.
    static let testing: Set<String> = ["pytest"]

    /// The module a PyPI package installs, when it is not the package name with `-` as `_`.
    static let importNames: [String: String] = [
        "kafka-python": "kafka", "pyyaml": "yaml", "beautifulsoup4": "bs4", "scikit-learn": "sklearn",
        "pillow": "PIL", "psycopg2-binary": "psycopg2", "psycopg-binary": "psycopg", "python-dateutil": "dateutil",
        "protobuf": "google", "pyjwt": "jwt", "opensearch-py": "opensearchpy", "elasticsearch-dsl": "elasticsearch_dsl",
    ]

    /// The top-level module that `package` (a contract dependency) is imported as.
    static func importName(ofPackage package: String) -> String {
        let lowered = package.lowercased()
        return importNames[lowered] ?? lowered.replacingOccurrences(of: "-", with: "_")
    }

    /// Whether `path` (relative to the node folder) is a test file.
    static func isTestFile(_ path: String) -> Bool {
        let components = path.split(separator: "/")
        let file = components.last ?? ""
        return components.dropLast().contains("tests") || file.hasPrefix("test_") || file == "conftest.py"
    }
}
