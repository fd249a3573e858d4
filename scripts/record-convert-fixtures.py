#!/usr/bin/env python3
"""Record the expected outputs of the text_generation fixtures with the REAL Python tools.

The test suite runs without Python; this script produces the bytes it compares against:

  * fixtures/text/<case>/db.json         the real convert.py, run in a temporary directory on the
                                         case's models.csv, defaults.json and generation_params.json
  * fixtures/text/convert-errors/expected.json
                                         convert.py's exit status and last output line per bad input
  * fixtures/text/csv-cases.json         csv.writer(lineterminator="\\r\\n") and csv.reader results
                                         for edge cases of the excel dialect
  * fixtures/text/python-cases.json      what float(), round(), str.strip(), sorted(), json.loads
                                         and the display-name regex give on edge cases

It also (re)writes the synthetic inputs it defines below. With --extract it first cuts the real
excerpts (fixtures/text/excerpt-*/models.csv) out of the snapshots in $HORDE_SYNC_DATA (default
../shared/data): the header plus every row of the models named in EXCERPT_NAMES, bytes unchanged.

Usage: python3 scripts/record-convert-fixtures.py [--extract]
"""
import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "fixtures", "text")
CONVERT_PY = os.path.join(FIXTURES, "convert.py")
HEADER = ["name", "parameters_bn", "display_name", "url", "baseline", "description", "style", "tags", "instruct_format", "settings"]

# Real excerpts: snapshot label -> fixture folder. Rows are copied byte for byte, in file order.
EXCERPTS = {
    "old-2025-08": "excerpt-2025-08",
    "mid-2025-11": "excerpt-2025-11",
    "new-2026-06": "excerpt-2026-06",
}
EXCERPT_NAMES = {
    "acrastt/Marx-3B-V3",  # display_name set, settings with "rep_pen":1.18 (no space)
    "anthracite-org/magnum-12b-v2",  # doubled quotes in the description, settings
    "BeaverAI/Cydonia-R1-24B-v4a",  # removed after 2025-08
    "Casual-Autopsy/L3-Super-Nova-RP-8B",  # tags "roleplay" -> "roleplay, popular"
    "Casual-Autopsy/Maginum-Cydoms-24B",  # conflicting duplicate rows (2026)
    "deepseek-ai/DeepSeek-V3",  # parameters 150 -> 243
    "DreadPoor/Irix-12B-Model_Stock",  # 12.2
    "EleutherAI/gpt-neo-1.3B",  # 1.3
    "EleutherAI/gpt-neo-125M",  # 0.125
    "EleutherAI/pythia-70m",  # 0.07
    "facebook/xglm-4.5B",  # 4.5 -> "4B" (half to even)
    "facebook/xglm-7.5B",  # 7.5 -> "8B"
    "google/gemma-3-4b-it",  # tag "popular" dropped in 2026
    "google/gemma-4-E2B",  # 2026 only
    "gpt2",  # no org: koboldcpp/gpt2
    "gpt2-large",  # 0.774
    "gpt2-xl",  # 1.5 -> "2B"
    "https://huggingface.co/Undi95/Lumimaid-Magnum-12B",  # URL-shaped name, 2025-11 only
    "LatitudeGames/Equinox-31B",  # instruct_format " Gemma 4" (leading space)
    "lightblue/Karasu-Mixtral-8x22B-v0.1",  # identical duplicate rows
    "mistralai/Ministral-3-14B-Instruct-2512",  # conflicting duplicate rows (2026)
    "mlabonne/NeuralDaredevil-8B-abliterated",  # quotes in the description
    "moonshotai/Kimi-K2.5",  # 700, tags containing the style
    "NeverSleep/Lumimaid-v0.2-12B",  # quotes, settings
    "NeverSleep/Noromaid-v0.4-Mixtral-Instruct-8x7b-Zloss",  # settings "rep_pen": 3.0
    "Nitral-AI/Captain-Eris_Violet-V0.420-12B",  # underscore in the derived display name
    "PocketDoc/Dans-PersonalityEngine-V1.2.0-24b",  # settings "temperature": 1.0
    "Qwen/Qwen1.5-1.8B",  # identical duplicate rows (2025-08)
    "Qwen/Qwen2-0.5B",  # 0.5 -> "0B"
    "Qwen/Qwen3-30B-A3B",  # url added in 2025-11
    "Qwen/Qwen3-8B",
    "Sao10K/Llama-3.1-8B-Stheno-v3.4",  # conflicting duplicates (2026), instruct_format added
    "SicariusSicariiStuff/2B_or_not_2B",  # 2.5 -> "2B"
    "SicariusSicariiStuff/Impish_LLAMA_3B",  # display_name set
    "TheDrummer/Behemoth-123B-v2",  # display_name "Behemoth 123B v2.0"
    "TheDrummer/Behemoth-123B-v2.2",  # doubled quotes
    "TheDrummer/Behemoth-ReduX-123B-v1.1",  # tags "roleplay, popular"
    "TheDrummer/Cydonia-24B-v4.1",  # tag dropped in 2026
    "TheDrummer/Skyfall-36B-v2",
    "THUDM/GLM-4-32B-0414",
    "yamatazen/EsotericSage-12B",  # parameters_bn " 12" (leading space)
}

CRLF = "\r\n"


def write_rows(path, rows, lineterminator=CRLF, final_newline=True):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=lineterminator).writerows(rows)
    text = buffer.getvalue()
    if not final_newline:
        text = text[: -len(lineterminator)]
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)


# Synthetic inputs for quirks the real snapshots lack (raw UTF-8, embedded newlines, odd numbers).
SYNTHETIC = [
    HEADER,
    ["Example/Cafe-Model-7B", "7", "", "https://example.org/cafe", "", "Café — naïve “quotes”, emoji 😀 and a comma", "chat", "Émile, zeta, Alpha", "ChatML", ""],
    ["org/sub/model-3B", "3", "", "", "", "A name with two slashes: model_name is the second part", "", "", "", ""],
    ["tinymodel__v2--x", "0.07", "", "", "", "", "", "", "", ""],
    ["https://huggingface.co/Example/Url-Name-12B", "12", "", "", "", "URL-shaped name", "", "", "", ""],
    ["Half/Zero-Point-Five", "0.5", "", "", "", "", "", "", "", ""],
    ["Half/One-Point-Five", "1.5", "", "", "", "", "", "", "", ""],
    ["Half/Two-Point-Five", "2.5", "", "", "", "", "", "", "", ""],
    ["Half/Three-Point-Five", "3.5", "", "", "", "", "", "", "", ""],
    ["Half/Twelve-Point-Five", "12.5", "", "", "", "", "", "", "", ""],
    ["Half/Just-Below-Half", "0.49999999999999994", "", "", "", "", "", "", "", ""],
    ["Params/Zero", "0", "", "", "", "parameters 0 is falsy: the record keeps defaults' null", "", "", "", ""],
    ["Params/Underscores", "1_000", "", "", "", "", "", "", "", ""],
    ["Params/Spaces", " 12 ", "", "", "", "", "", "", "", ""],
    ["Params/Exponent", "1e1", "", "", "", "", "", "", "", ""],
    ["Params/Plus", "+2", "", "", "", "", "", "", "", ""],
    ["Params/Leading-Dot", ".5", "", "", "", "", "", "", "", ""],
    ["Params/Trailing-Dot", "7.", "", "", "", "", "", "", "", ""],
    ["Params/Truncates", "4.1", "", "", "", "4.1 * 1e9 is 4099999999.9999995", "", "", "", ""],
    ["Params/Decimals", "12.2", "", "", "", "", "", "", "", ""],
    ["Tags/Empty-Token", "8", "", "", "", "", "", "a,,b", "", ""],
    ["Tags/Spaced", "8", "", "", "", "", "story", " spaced , tags ,story", "", ""],
    ["Tags/Size-Tag", "7", "", "", "", "", "", "7B, MoE", "", ""],
    ["Settings/Floats", "24", "", "", "", "", "", "", "", '{"temperature": 1.0, "rep_pen": 3.0}'],
    ["Settings/Exponent", "24", "", "", "", "", "", "", "", '{"top_k": 1e2, "top_p":0.95,"min_p":0}'],
    ["Settings/Nested", "24", "", "", "", "", "", "", "", '{"sampler_order": [6, 0, 1], "stop_sequence": ["\\n", "\\u00e9", "é"]}'],
    ["Settings/Empty", "24", "", "", "", "an empty settings object is dropped", "", "", "", "{}"],
    ["Settings/Specials", "24", "", "", "", "", "", "", "", '{"max_length": 1E400, "typical": NaN, "temperature": -0, "top_a": -0.0}'],
    ["Settings/Duplicate-Key", "24", "", "", "", "", "", "", "", '{"temperature": 0.5, "top_p": 1, "temperature": 0.7}'],
    ["Display/Explicit", "13", "My Display Name", "", "", "", "", "", "", ""],
    ["Display/Same-As-Derived", "13", "Same As Derived", "", "", "", "", "", "", ""],
    ["Style/Upper", "13", "", "", "", "", "Chat", "chat", "", ""],
    ["Style/Generalist", "13", "", "", "", "", "generalist", "", "", ""],
    ["Text/Newlines", "3", "", "", "base/model", "line one\nline two\r\nline three", "", "", "", ""],
    # Shares koboldcpp/Spaces with Params/Spaces: convert.py writes the key twice, the later row wins.
    ["Text/Spaces", "3", "", "", "", "  leading and trailing  ", "", "", " Gemma 4", ""],
    ["Text/Quotes", "3", "", "", "", 'He said "hi", then left', "", "", "", ""],
    ["Dup/Conflicting", "7", "", "https://example.org/first", "", "first row", "chat", "", "", ""],
    ["Dup/Other", "1", "", "", "", "", "", "", "", ""],
    ["Dup/Conflicting", "8", "", "https://example.org/last", "", "last row wins, first position kept", "story", "popular", "", ""],
]

# Rows only DictReader's edge handling can read: a blank line, a short row, a row with extra cells,
# a needlessly quoted cell and text after a closing quote. LF line endings, no final newline.
ODD_ROWS = (
    ",".join(HEADER) + "\n"
    + '"Quoted/Needless-1B",1,,,,,,,,\n'
    + "\n"
    + "Short/Row-3B,3\n"
    + "Extra/Cells-2B,2,,,,,,,,,extra one,extra two\n"
    + 'After/Quote-4B,4,,,,"ab"cd,,,,\n'
    + "Last/Row-5B,5,,,,,,,,"
)

# Bad inputs: convert.py exits non-zero on the last row of each.
ERRORS = {
    "bad-parameters": ["Bad/Params", "abc", "", "", "", "", "", "", "", ""],
    "nan-parameters": ["Bad/NaN", "nan", "", "", "", "", "", "", "", ""],
    "inf-parameters": ["Bad/Inf", "inf", "", "", "", "", "", "", "", ""],
    "bad-settings-json": ["Bad/Json", "7", "", "", "", "", "", "", "", '{"temperature": 0.7,}'],
    "settings-not-dict": ["Bad/List", "7", "", "", "", "", "", "", "", "[1, 2]"],
    "settings-unknown-key": ["Bad/Key", "7", "", "", "", "", "", "", "", '{"temperature": 0.7, "foo": 1}'],
}
GOOD_ROW = ["Good/Model-7B", "7", "", "", "", "", "", "", "", ""]

# csv.writer cases (rows of cells) and csv.reader cases (texts).
WRITER_CASES = [
    [""], ["", ""], ["a", ""], [" a "], ["a,b"], ['a"b'], ['"'], ["a\rb"], ["a\nb"], ["a\r\nb"],
    ["a\tb"], [" "], ["é—😀"], ["a'b"], ["#"], ["a\\b"], ["\u2028"], ["\x85"], ["\x00"], [],
    ["x", "y,z", 'q"', " lead", "trail "], ['{"temperature": 1.0, "top_p": 0.95}'],
]
READER_CASES = [
    "a,b\r\n", 'a,"b""c",d\r\n', '"a\r\nb",c\r\n', 'ab"c,d\n', '"ab"c,d\n', "a,b\rc,d\n",
    "\r\n\r\na\r\n", '"abc', "abc,", 'a,"b', ' "a",b\n', '"a" ,b\n', "a,b", '"a""', '"a"\r"b"\n',
    "a\n\rb\n", ",\r\n", '""\r\n', 'x,"multi\nline\rfield",y\n', "a\r", "\n", "",
]

# Edge cases of the Python built-ins convert.py relies on.
FLOAT_CASES = [
    "7", " 12", " 12 ", "\t3\n", "0.07", "0.125", "1.3", "12.2", "4.1", "1.001", "2.5", "3.5", "0.5", "1.5",
    "-2.5", "-0.4", "0", "-0", "1_000", "1__0", "_1", "1_", "1e1", "1E-3", "+2", ".5", "7.", "1.e2", ".",
    "", "abc", "0x10", "nan", "-NaN", "inf", "Infinity", "-inf", "1e300", "1e400", "\u0663", "\uff11\uff12",
    "\xa012\u3000", "\x8512", "\ufeff12", "1 2", "0.49999999999999994", "700", "123456.789", "1e12", "1e200",
]
STRIP_CASES = [" a ", "\ta\n", "\x1c a \x1f", "\x85a\xa0", "\u3000a\u2028", "\ufeffa\ufeff", "\u200ba", "a b"]
SORT_CASES = [["generalist", "MoE", "8B", "chat", "", "Émile", "zeta", "\ufb01", "\U0001F600", "12B", "123B"]]
JSON_CASES = [
    '{"temperature": 1.0, "top_p": 0.95}', '{"rep_pen":1.18}', '{"a": 1e2, "b": -0, "c": -0.0, "d": 1E400}',
    '{"a": NaN, "b": Infinity, "c": -Infinity}', '{"a": 1, "a": 2, "b": 3}', ' {"a": [1, {"b": null}]} ',
    '{"a": "\\u00e9\\ud83d\\ude00\\n"}', '{"a": 0.1, "b": 100000000000000000000000.0, "c": 1e-7}',
    '{"a": 01}', '{"a": 1,}', '{"a": "x\ty"}', '[1, 2]', '"s"', '{"a": .5}', '{"a": +1}', '{"a": 1.}',
    '\ufeff{}', '{}', '{"a": true, "b": false}', '{"a": 12345678901234567890}',
]
DISPLAY_CASES = ["Marx-3B-V3", "Captain-Eris_Violet-V0.420-12B", "tinymodel__v2--x", "-lead-", "", "a - b", "\u3000x_"]


def python_cases():
    def float_case(text):
        try:
            value = float(text)
        except ValueError:
            return {"text": text, "float": None}
        case = {"text": text, "float": repr(value)}
        try:
            case["parameters"] = str(int(value * 1_000_000_000))
            case["sizeTag"] = f"{round(value, 0):.0f}B"
        except (ValueError, OverflowError) as error:
            case["parameters"] = type(error).__name__
        return case

    def json_case(text):
        try:
            return {"text": text, "dumps": json.dumps(json.loads(text))}
        except ValueError as error:  # JSONDecodeError is a ValueError
            return {"text": text, "dumps": None, "error": type(error).__name__}

    return {
        "python": sys.version.split()[0],
        "float": [float_case(text) for text in FLOAT_CASES],
        "strip": [{"text": text, "strip": text.strip()} for text in STRIP_CASES],
        "sorted": [{"items": items, "sorted": sorted(items)} for items in SORT_CASES],
        "json": [json_case(text) for text in JSON_CASES],
        "displayName": [
            {"modelName": name, "displayName": re.sub(r" +", " ", re.sub(r"[-_]", " ", name)).strip()} for name in DISPLAY_CASES
        ],
    }


def extract():
    data = os.path.abspath(os.path.join(ROOT, os.environ.get("HORDE_SYNC_DATA", "../shared/data"), "AI-Horde-text-model-reference"))
    for label, folder in EXCERPTS.items():
        source = os.path.join(data, label)
        with open(os.path.join(source, "models.csv"), encoding="utf-8", newline="") as f:
            text = f.read()
        lines = text.split(CRLF)  # no cell of these snapshots holds a newline
        kept = [lines[0]] + [line for line in lines[1:] if line and next(csv.reader([line]))[0] in EXCERPT_NAMES]
        target = os.path.join(FIXTURES, folder)
        os.makedirs(target, exist_ok=True)
        with open(os.path.join(target, "models.csv"), "w", encoding="utf-8", newline="") as f:
            f.write(CRLF.join(kept) + CRLF)
        for name in ("defaults.json", "generation_params.json"):
            shutil.copyfile(os.path.join(source, name), os.path.join(target, name))
        print(f"extracted {len(kept) - 1} rows from {label} into {folder}")


def synthesize():
    write_rows(os.path.join(FIXTURES, "synthetic", "models.csv"), SYNTHETIC)
    lf_rows = [HEADER] + [row for row in SYNTHETIC[1:8]]
    write_rows(os.path.join(FIXTURES, "synthetic-lf", "models.csv"), lf_rows, lineterminator="\n", final_newline=False)
    os.makedirs(os.path.join(FIXTURES, "odd-rows"), exist_ok=True)
    with open(os.path.join(FIXTURES, "odd-rows", "models.csv"), "w", encoding="utf-8", newline="") as f:
        f.write(ODD_ROWS)
    for case, row in ERRORS.items():
        write_rows(os.path.join(FIXTURES, "convert-errors", case, "models.csv"), [HEADER, GOOD_ROW, row])
    for folder in ("synthetic", "synthetic-lf", "odd-rows", *(os.path.join("convert-errors", case) for case in ERRORS)):
        for name in ("defaults.json", "generation_params.json"):
            shutil.copyfile(os.path.join(FIXTURES, "excerpt-2026-06", name), os.path.join(FIXTURES, folder, name))


def run_convert(folder):
    """Runs the real convert.py on a fixture folder's three inputs in a fresh temporary directory."""
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("models.csv", "defaults.json", "generation_params.json"):
            shutil.copyfile(os.path.join(folder, name), os.path.join(tmp, name))
        shutil.copyfile(CONVERT_PY, os.path.join(tmp, "convert.py"))
        env = {k: v for k, v in os.environ.items() if k != "TESTS_ONGOING"}
        env["PYTHONIOENCODING"] = "utf-8"
        env["PYTHONUTF8"] = "1"  # open() without encoding= must read UTF-8, as on the CI runner
        result = subprocess.run([sys.executable, "convert.py"], cwd=tmp, env=env, capture_output=True, text=True)
        output = os.path.join(tmp, "db.json")
        db = open(output, encoding="utf-8", newline="").read() if result.returncode == 0 else None
        return result, db


def record():
    for folder in sorted(os.listdir(FIXTURES)):
        path = os.path.join(FIXTURES, folder)
        if not os.path.isfile(os.path.join(path, "models.csv")):
            continue
        result, db = run_convert(path)
        if result.returncode != 0:
            sys.exit(f"convert.py failed on {folder}:\n{result.stdout}{result.stderr}")
        with open(os.path.join(path, "db.json"), "w", encoding="utf-8", newline="") as f:
            f.write(db)
        print(f"recorded {folder}/db.json ({len(db)} chars)")

    expected = {}
    for case in ERRORS:
        result, _ = run_convert(os.path.join(FIXTURES, "convert-errors", case))
        lines = (result.stdout + result.stderr).strip().splitlines()
        expected[case] = {"model": ERRORS[case][0], "exitCode": result.returncode, "lastLine": lines[-1] if lines else ""}
    with open(os.path.join(FIXTURES, "convert-errors", "expected.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump(expected, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print(f"recorded {len(expected)} convert.py failures")

    def written(row):
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator=CRLF).writerow(row)
        return buffer.getvalue()

    cases = {
        "python": sys.version.split()[0],
        "writer": [{"cells": row, "line": written(row)} for row in WRITER_CASES],
        "reader": [{"text": text, "rows": list(csv.reader(io.StringIO(text, newline="")))} for text in READER_CASES],
    }
    with open(os.path.join(FIXTURES, "csv-cases.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump(cases, f, indent=2, ensure_ascii=True)
        f.write("\n")
    print(f"recorded {len(WRITER_CASES)} writer and {len(READER_CASES)} reader cases")

    with open(os.path.join(FIXTURES, "python-cases.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump(python_cases(), f, indent=2, ensure_ascii=True)
        f.write("\n")
    print("recorded python built-in cases")


if __name__ == "__main__":
    if "--extract" in sys.argv[1:]:
        extract()
    synthesize()
    record()
