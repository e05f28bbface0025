/// Real-looking Python shared by the scanner, lexer and layout tests: every string prefix,
/// triple quotes, f-strings, comments, both kinds of line joining, decorators, nested defs and
/// a class indented with tabs. It parses with CPython 3.11; the strings and comments the tests
/// expect are those `tokenize` reports for it.
enum PythonSamples {
    static let module = #"""
        #!/usr/bin/env python3
        """Module docstring.

        def not_a_function():
        """
        import os, \
            sys

        PATTERN = r'\d+\'' + R"raw" + b'\x00' + rb"bytes" + Rb'x' + BR"y" + u'text'
        GREETING = f"hello {name!r:>10}" + F'{x["key"]}' + fr'{a}\n' + rf"{b}"
        BLOCK = '''one
        two''' + """three"""  # trailing comment


        @decorator
        @other.decorator(
            arg=1,  # inside brackets
        )
        def outer(a, b=(1,
                        2)):
            # a comment line
            def inner():
                return 'def nested(): pass'
            return inner


        class Tabbed:
        \#t"""Indented with a tab."""

        \#tdef method(self):
        \#t\#tif self:
        \#t\#t\#treturn [
        \#t\#t\#t\#t1,
        \#t\#t\#t]
        \#t\#treturn None

        """#

    /// `tokenize`'s strings in ``module``: (line, column, text).
    static let strings: [(Int, Int, String)] = [
        (2, 0, "\"\"\"Module docstring.\n\ndef not_a_function():\n\"\"\""),
        (9, 10, #"r'\d+\''"#), (9, 21, #"R"raw""#), (9, 30, #"b'\x00'"#), (9, 40, #"rb"bytes""#),
        (9, 52, "Rb'x'"), (9, 60, #"BR"y""#), (9, 68, "u'text'"),
        (10, 11, #"f"hello {name!r:>10}""#), (10, 35, #"F'{x["key"]}'"#), (10, 51, #"fr'{a}\n'"#), (10, 63, #"rf"{b}""#),
        (11, 8, "'''one\ntwo'''"), (12, 9, #""""three""""#),
        (23, 15, "'def nested(): pass'"),
        (28, 1, #""""Indented with a tab.""""#),
    ]

    /// `tokenize`'s comments in ``module``: (line, column, text).
    static let comments: [(Int, Int, String)] = [
        (1, 0, "#!/usr/bin/env python3"), (12, 22, "# trailing comment"), (17, 12, "# inside brackets"), (21, 4, "# a comment line"),
    ]
}
