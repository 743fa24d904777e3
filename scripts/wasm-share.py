#!/usr/bin/env python3
"""What each part of the app costs in the wasm, compressed: function bodies grouped by their
Rust module path (from the name section's v0 symbols), each group gzipped (-9) alone, and the
share of a set of module prefixes measured as the whole code's gzip size minus the rest's.

    python3 scripts/wasm-share.py WASM [DEPTH [ROWS [PREFIX,PREFIX...]]]

WASM must still have its name section: the module cargo builds before wasm-bindgen and wasm-opt
(target/wasm32-unknown-unknown/wasm-release/streamlab.wasm after a release build). Its code is
larger than the shipped module's (wasm-opt has not run), so read the shares, not the sizes.
docs/benchmarks.md ("What the instructor-only views cost") has a run.
"""
import collections
import re
import sys
import zlib


def leb(b, i):
    result = shift = 0
    while True:
        x = b[i]
        i += 1
        result |= (x & 0x7F) << shift
        shift += 7
        if x < 0x80:
            return result, i


def sections(data):
    i, out = 8, []
    while i < len(data):
        sid = data[i]
        n, i = leb(data, i + 1)
        out.append((sid, i, n))
        i += n
    return out


def imported_functions(data, secs):
    count = 0
    for sid, start, _ in secs:
        if sid != 2:
            continue
        n, j = leb(data, start)
        for _ in range(n):
            for _ in range(2):  # module and field names
                length, j = leb(data, j)
                j += length
            kind = data[j]
            j += 1
            if kind == 0:  # function: type index
                _, j = leb(data, j)
                count += 1
            elif kind == 1:  # table: element type, limits
                j += 1
                flags = data[j]
                _, j = leb(data, j + 1)
                if flags & 1:
                    _, j = leb(data, j)
            elif kind == 2:  # memory: limits
                flags = data[j]
                _, j = leb(data, j + 1)
                if flags & 1:
                    _, j = leb(data, j)
            elif kind == 3:  # global: type, mutability
                j += 2
    return count


def bodies_and_names(data):
    secs = sections(data)
    bodies, names = [], {}
    for sid, start, n in secs:
        if sid == 10:
            count, j = leb(data, start)
            for _ in range(count):
                length, j = leb(data, j)
                bodies.append(data[j : j + length])
                j += length
        elif sid == 0:
            length, j = leb(data, start)
            if data[j : j + length] != b"name":
                continue
            j += length
            while j < start + n:
                sub = data[j]
                size, j = leb(data, j + 1)
                if sub == 1:
                    k = j
                    count, k = leb(data, k)
                    for _ in range(count):
                        idx, k = leb(data, k)
                        length, k = leb(data, k)
                        names[idx] = data[k : k + length].decode("utf8", "replace")
                        k += length
                j += size
    return bodies, names, imported_functions(data, secs)


def path(symbol):
    """The identifiers of a v0 symbol's path, from its crate on (a crude reading of the
    mangling: a crate root `C[s<hash>_]<len><name>`, then `[s<hash>_]<len>[_]<ident>`...)."""
    m = re.search(r"C(?:s[0-9a-zA-Z]*_)?(\d+)_?", symbol)
    if not m:
        return [symbol[:40]]
    out, i = [], m.start(1)
    while i < len(symbol):
        d = re.match(r"(?:s[0-9a-zA-Z]*_)?(\d+)(_?)", symbol[i:])
        if not d:
            break
        length, start = int(d.group(1)), i + d.end()
        ident = symbol[start : start + length]
        if len(ident) < length:
            break
        out.append(ident)
        i = start + length
    return out


def main():
    data = open(sys.argv[1], "rb").read()
    depth = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    rows_shown = int(sys.argv[3]) if len(sys.argv) > 3 else 40
    bodies, names, imported = bodies_and_names(data)
    gz = lambda parts: len(zlib.compress(b"".join(parts), 9))
    groups = collections.defaultdict(list)
    paths = []
    for k, body in enumerate(bodies):
        p = "::".join(path(names.get(k + imported, "?")))
        paths.append(p)
        groups["::".join(p.split("::")[:depth])].append(body)
    print(f"code: {sum(map(len, bodies))} bytes, {gz(bodies)} gzipped, {len(bodies)} functions")
    rows = sorted(((gz(b), sum(map(len, b)), len(b), k) for k, b in groups.items()), reverse=True)
    for row in rows[:rows_shown]:
        print(f"{row[0]:8} {row[1]:9} {row[2]:5}  {row[3]}")
    if len(sys.argv) > 4:
        prefixes = sys.argv[4].split(",")
        chosen = [b for b, p in zip(bodies, paths) if any(p.startswith(x) for x in prefixes)]
        rest = [b for b, p in zip(bodies, paths) if not any(p.startswith(x) for x in prefixes)]
        print(f"chosen: {len(chosen)} functions, {sum(map(len, chosen))} bytes; "
              f"the whole code gzipped less the rest gzipped: {gz(bodies) - gz(rest)} bytes")


if __name__ == "__main__":
    main()
