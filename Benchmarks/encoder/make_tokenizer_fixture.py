"""Writes Fixtures/encoder/tokenizer-cases.json: token ids from HuggingFace `tokenizers` for
tricky hand-written texts and for seeded random strings drawn from every Unicode plane, which
WordPieceTokenizerTests compares against.

    /tmp/enc-venv/bin/python Benchmarks/encoder/make_tokenizer_fixture.py MODEL_DIR Fixtures/encoder/tokenizer-cases.json
"""
import json, random, sys
from tokenizers import Tokenizer

model_dir, out_path = sys.argv[1], sys.argv[2]
tok = Tokenizer.from_file(f"{model_dir}/tokenizer.json")
tok.no_padding(); tok.no_truncation()

texts = [
    "parseHTTPResponse_v2(self, *args, **kwargs) -> Optional[Dict[str, int]]:",
    "const fooBar = async (x) => { await x?.baz ?? 0; }; // TODO: fix!!!",
    "SELECT u.id, COUNT(*) FROM users u WHERE u.email LIKE '%@example.com' GROUP BY 1;",
    "fn main() { let v: Vec<u8> = vec![0xFF; 16]; println!(\"{:?}\", v); }",
    "Ångström Æsir Œuvre ﬁnancial ﬂuffy ǅemal ΣΊΣΥΦΟΣ ß ẞ İı",
    "日本語のテキストと한국어 텍스트와 中文文本 𠀀𪜀𫝀𫠠𬺰 (CJK extensions)",
    "Hangul jamo 각 and syllables 각갂갃 and compatibility ㄱㅏ",
    "emoji 🙂🙃😀 🥰🫠 👨‍👩‍👧‍👦 🏳️‍🌈 1️⃣ ©®™ ★☆ ♠♣",
    "math ∑∫∂ √2 ≤ ≠ ≥ ± ∞ ½ ¾ ² ³ ① ⓐ µ Ω Å K",
    "combining: e\u0301 a\u0308 n\u0303 o\u0323\u0302 Zalgo Z\u0351\u0352\u0353a\u0354l\u0355g\u0356o",
    "scripts: देवनागरी ไทย ລາວ ខ្មែរ ქართული Հայերեն አማርኛ ᏣᎳᎩ ᚠᚢᚦ 𐌰𐌱 𓀀",
    "arabic: السَّلَامُ عَلَيْكُمْ hebrew: שָׁלוֹם persian: سلام",
    "quotes “smart” ‘single’ «guillemets» „low“ ‹›  dashes – — ‐ ‒ ― ellipsis …",
    "spaces:\u00a0nbsp\u2002en\u2003em\u2009thin\u200bzwsp\u202fnnbsp\u205fmmsp\u3000ideo\u1680ogham",
    "controls:\x00nul\x01soh\x07bel\x08bs\x0bvt\x0cff\x1besc\x7fdel\x85nel\u2028ls\u2029ps",
    "format: soft\u00adhyphen zw\u200cnj zw\u200dj lrm\u200e rlm\u200f bom\ufeff wj\u2060 \ufffd replacement",
    "private use \ue000\uf8ff\U000f0000 unassigned \u0378\u0379 \U0001fbff noncharacter \ufdd0\uffff",
    "a" * 99 + " " + "b" * 100 + " " + "c" * 101,
    "supercalifragilisticexpialidocious antidisestablishmentarianism pneumonoultramicroscopicsilicovolcanoconiosis",
    "x" * 250,
    "$HOME/.config/strata/config.yaml ~/.cache C:\\Users\\me\\file.txt https://example.com/a?b=c&d=e#f",
    "email: First.Last+tag@Sub.Example.co.uk, ipv6 [2001:db8::1]:8080, semver 1.2.3-rc.1+build.5",
    "numbers 3.14159 -2.5e-10 0x1F 0b1010 1_000_000 ١٢٣ ४५६ ๗๘๙ ＡＢＣ１２３",
    "fullwidth ＨＥＬＬＯ，ｗｏｒｌｄ！ halfwidth ｶﾀｶﾅ",
    "mixed\tTABS\tand\nNEW\r\nLINES\rCR",
    "¡¿Qué?! «Ça va?» — Ω≈ç√∫˜µ≤≥÷ åß∂ƒ©˙∆˚¬…æ œ∑´®†¥¨ˆøπ“‘",
    "`backticks` ~tilde~ ^caret^ |pipe| \\backslash\\ _under_ {brace} [bracket] <angle>",
    "\U0001d400\U0001d41a mathematical bold, \U0001d7ce digits, \u2160\u2161 roman numerals, \u3251 circled",
    "Straße STRASSE straße ǈ ǉ Ǉ ῼ ᾳ",
    "",
    "   ",
    "!!!",
]
rng = random.Random(15)
blocks = [(0x20, 0x7F), (0xA0, 0x250), (0x250, 0x530), (0x530, 0x800), (0x900, 0xE00), (0xE00, 0x1100),
          (0x1100, 0x2000), (0x2000, 0x2C00), (0x2C00, 0x3400), (0x3400, 0xA000), (0xA000, 0xD800),
          (0xE000, 0x10000), (0x10000, 0x1D000), (0x1D000, 0x20000), (0x1F300, 0x1FAFF), (0x20000, 0x32000),
          (0xE0000, 0xE0080), (0xF0000, 0xF0010)]
for n in range(200):
    chars = []
    for _ in range(rng.randint(5, 30)):
        lo, hi = rng.choice(blocks)
        cp = rng.randrange(lo, hi)
        if 0xD800 <= cp <= 0xDFFF:
            cp = 0x41
        chars.append(chr(cp))
        if rng.random() < 0.2:
            chars.append(rng.choice(" a.,_-\t"))
    texts.append("".join(chars))

cases = [{"text": t, "ids": tok.encode(t).ids} for t in texts]
with open(out_path, "w") as f:
    f.write('{\n "note": "token ids from HuggingFace tokenizers %s (tokenizer.json of all-MiniLM-L6-v2), no truncation; made by Benchmarks/encoder/make_tokenizer_fixture.py",\n "cases": [\n' % __import__("tokenizers").__version__)
    f.write(",\n".join("  " + json.dumps(c, ensure_ascii=True) for c in cases))
    f.write("\n ]\n}\n")
print(len(cases), "cases")
