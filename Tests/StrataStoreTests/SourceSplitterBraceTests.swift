import Testing
import StrataStore

private let swiftSource = #####"""
import Foundation

/// A shape.
@available(macOS 14, *)
public struct Shape<T>: Equatable where T: Hashable {
    var name: String
    var area: Double { 1 }

    /// Makes a shape.
    public init(name: String) {
        self.name = name
        let s = "\(name) {"
    }

    func describe() -> String {
        let text = """
        func fake() {
        \(name.map { "\($0) }" })
        """
        return text
    }

    enum Kind {
        case a, b
        func label() -> String {
            switch self {
            case .a: return "a"
            case .b: return "b"
            }
        }
    }
}

extension Shape.Kind: CustomStringConvertible {
    var description: String {
        label()
    }

    static func == (lhs: Self, rhs: Self) -> Bool {
        // { unbalanced in a comment
        /* nested /* block { */ comment */
        lhs.label() == rhs.label()
    }
}

#if os(Linux)
func linuxOnly<T>(_ value: T) -> T where T: Sendable {
    let raw = #"a "quoted" { raw \#(value) "#
    return value
}
#endif

final class Box: @unchecked Sendable {
    private(set) var x = 0
    class func make() -> Box {
        Box()
    }
    deinit {
        print("bye")
    }
}
"""#####

@Suite struct SourceSplitterBraceTests {
    @Test func swiftOutline() {
        #expect(outline(swiftSource, .swift) == [
            "struct Shape 3-32",
            "property Shape.area 7-7",
            "method Shape.init 9-13",
            "method Shape.describe 15-21",
            "enum Shape.Kind 23-31",
            "method Shape.Kind.label 25-30",
            "extension Shape.Kind 34-44",
            "property Shape.Kind.description 35-37",
            "method Shape.Kind.== 39-43",
            "function linuxOnly 47-50",
            "class Box 53-61",
            "method Box.make 55-57",
            "method Box.deinit 58-60",
        ])
        let units = SourceSplitter.units(in: swiftSource, path: "s.swift", language: .swift, options: .init(minimumLines: 1))
        #expect(invariantViolation(units, lineCount: 61) == nil)
        #expect(units.first?.declarationLine == 5)
        #expect(units.first?.text.hasPrefix("/// A shape.\n@available(macOS 14, *)\npublic struct") == true)
    }

    private let goSource = """
    package main

    import "fmt"

    // Server serves.
    type Server struct {
    \tAddr string
    \tTags map[string]string
    }

    type (
    \tHandler interface {
    \t\tServe(w Writer) error
    \t}
    \tPair[K comparable, V any] struct {
    \t\tKey K
    \t\tVal V
    \t}
    )

    // Start starts the server.
    func (s *Server) Start() error {
    \tmsg := `raw { string`
    \tr := '{'
    \tfmt.Println(msg, r, "}")
    \treturn nil
    }

    func (p Pair[K, V]) String() string {
    \treturn fmt.Sprint(p.Key)
    }

    func New(addr string) func() int {
    \treturn func() int {
    \t\treturn len(addr)
    \t}
    }
    """

    @Test func goOutline() {
        #expect(outline(goSource, .go) == [
            "struct Server 5-9",
            "interface Handler 12-14",
            "struct Pair 15-18",
            "method Server.Start 21-27",
            "method Pair.String 29-31",
            "function New 33-37",
        ])
    }

    private let javaScriptSource = """
    import x from "y";

    /**
     * Adds numbers.
     */
    export function add(a, b) {
      const s = `${a} { ${b + `}`} }`;
      return a + b;
    }

    const handler = async (event) => {
      const re = /[{]+/g;
      return re.test(event) / 2;
    };

    class Widget extends Base {
      static count = 0;

      constructor(name) {
        super();
        this.name = name;
      }

      onClick = (e) => {
        console.log(e, '}');
        return 1;
      };

      async *items() {
        yield 1;
        yield 2;
      }

      get label() {
        return this.name;
      }
    }

    app.get("/", (req, res) => {
      res.send("x");
      return 1;
    });

    module.exports.helper = function (x) {
      // {
      return x;
    };
    """

    @Test func javaScriptOutline() {
        #expect(outline(javaScriptSource, .javascript) == [
            "function add 3-9",
            "function handler 11-14",
            "class Widget 16-37",
            "method Widget.constructor 19-22",
            "method Widget.onClick 24-27",
            "method Widget.items 29-32",
            "method Widget.label 34-36",
            "function helper 44-47",
        ])
    }

    private let typeScriptSource = """
    export interface Props {
      name: string;
      count?: number;
    }

    @Component({
      selector: "app",
    })
    export class AppComponent<T> implements OnInit {
      private items: T[] = [];

      ngOnInit(): void {
        this.items = [];
        return;
      }

      public async load<U>(id: string): Promise<U | null> {
        const r = await fetch(`/api/${id}`);
        return r.json();
      }
    }

    export enum Color {
      Red,
      Green,
    }

    namespace Util {
      export function clamp(x: number): number {
        return Math.max(0, x);
      }
    }
    """

    @Test func typeScriptOutline() {
        #expect(outline(typeScriptSource, .typescript) == [
            "interface Props 1-4",
            "class AppComponent 6-21",
            "method AppComponent.ngOnInit 12-15",
            "method AppComponent.load 17-20",
            "enum Color 23-26",
            "function Util.clamp 29-31",
        ])
    }

    private let rustSource = ##"""
    use std::fmt;

    /// A point.
    #[derive(Debug, Clone)]
    pub struct Point<'a> {
        x: i32,
        label: &'a str,
    }

    impl<'a> fmt::Display for Point<'a> {
        fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
            let c = '{';
            write!(f, "({}, {})", self.x, c)
        }
    }

    pub(crate) trait Shape {
        fn area(&self) -> f64;
        fn describe(&self) -> String {
            let s = r#"raw " { string"#;
            s.to_string()
        }
    }

    /* outer /* nested { */ still comment */
    pub async fn run<T: Clone>(items: Vec<T>) -> impl Iterator<Item = T> {
        'outer: for i in items.iter() {
            break 'outer;
        }
        items.into_iter()
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn it_works() {
            assert_eq!(2 + 2, 4);
        }
    }
    """##

    @Test func rustOutline() {
        #expect(outline(rustSource, .rust) == [
            "struct Point 3-8",
            "extension Point 10-15",
            "method Point.fmt 11-14",
            "interface Shape 17-23",
            "method Shape.describe 19-22",
            "function run 25-31",
            "function tests.it_works 35-38",
        ])
    }

    private let javaSource = """
    package x;

    import java.util.List;

    /** A repo. */
    @Entity
    public class Repo<T> implements Store {
        private final List<T> items = new ArrayList<>();

        public Repo() {
            super();
        }

        @Override
        public <U> List<U> map(Function<T, U> f) throws IOException {
            String s = "}";
            char c = '{';
            return null;
        }

        enum State {
            ON("on") {
                String label() { return "x"; }
            },
            OFF("off");

            State(String s) {
                this.s = s;
            }
        }

        static {
            init();
        }
    }

    interface Store {
        default void clear() {
            // nothing
        }
    }
    """

    @Test func javaOutline() {
        #expect(outline(javaSource, .java) == [
            "class Repo 5-35",
            "method Repo.Repo 10-12",
            "method Repo.map 14-19",
            "enum Repo.State 21-30",
            "method Repo.State.State 27-29",
            "interface Store 37-41",
            "method Store.clear 38-40",
        ])
    }

    @Test func unbalancedBracesDropOnlyWhatTheyHide() {
        // The first function never closes; the second is still found inside nothing.
        let text = "func a() {\n    if x {\n}\n\nfunc b() {\n    1\n}\n"
        let units = SourceSplitter.units(in: text, path: "u.swift", language: .swift, options: .init(minimumLines: 1))
        #expect(invariantViolation(units, lineCount: 7) == nil)
        // Stray closing braces at file level are ignored.
        #expect(outline("}\n}\nfunc c() {\n  1\n}\n", .swift) == ["function c 3-5"])
        for language in SourceLanguage.allCases {
            for text in ["", "{", "}", "\"", "'", "`", "/*", "r#\"", "#\"", "func", "fn x(", "class {", "${"] {
                #expect(invariantViolation(SourceSplitter.units(in: text, path: "x", language: language), lineCount: 1) == nil)
            }
        }
    }
}
