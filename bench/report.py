#!/usr/bin/env python3
"""Turns the `RESULT <who> <operation> <value>` lines of bench/compare.sh into Markdown tables
with the ratios ours/peer and the issue's targets.

    python3 bench/report.py RAW_FILE
"""
import sys
from collections import defaultdict

PEERS = [("gsoap", "gSOAP"), ("php", "PHP SoapClient"), ("zeep", "zeep"), ("suds", "suds")]
OPS = ["get_numbers_100", "get_rates_list_100", "get_numbers_10000"]
E2E_MODES = [("keepalive", "keep-alive"), ("close", "new connection per call")]
E2E_CLIENTS = [("ours", "ours (tokio current_thread)"), ("ours_mt", "ours (tokio multi_thread)"),
               ("gsoap", "gSOAP"), ("php", "PHP SoapClient")]


def e2e(r, who, mode, what):
    """An end-to-end median; raw files from before keep-alive (`e2e_get_numbers_100_*`, the server
    closed every connection) count as the close mode."""
    d = r.get(who, {})
    v = d.get("e2e_%s_get_numbers_100_%s" % (mode, what))
    if v is None and mode == "close":
        v = d.get("e2e_get_numbers_100_%s" % what)
    return v


def load(path):
    r = defaultdict(dict)
    skips, notes = [], []
    for line in open(path, encoding="utf-8"):
        parts = line.rstrip("\n").split(" ", 3)
        if parts[0] == "RESULT" and len(parts) >= 4:
            try:
                r[parts[1]][parts[2]] = float(parts[3].split()[0])
            except ValueError:
                pass
        elif parts[0] == "SKIP":
            skips.append(line.strip()[5:])
        elif parts[0] == "NOTE":
            notes.append(line.strip()[5:])
    return r, skips, notes


def ms(v):
    if v is None:
        return "n/a"
    return "%.3f" % v if v < 10 else "%.1f" % v


def ratio(a, b):
    if a is None or b is None or b == 0:
        return "n/a"
    return "%.2f" % (a / b)


def main():
    r, skips, notes = load(sys.argv[1])
    ours, scan = r.get("ours", {}), r.get("scan", {})
    out = []
    p = out.append
    if any(op in ours for op in OPS) or any(k.startswith(("encode/", "codegen/")) for k in ours):
        p("### Build request + decode response, same captured bytes, no network (median ms per call)\n")
        head = "| operation | body | ours | floor: quick-xml scan | ours/scan |"
        sep = "|---|---:|---:|---:|---:|"
        for _, name in PEERS:
            head += " %s | ours/%s |" % (name, name)
            sep += "---:|---:|"
        p(head)
        p(sep)
        for op in OPS:
            size = r.get("size", {}).get(op)
            row = "| %s | %s | %s | %s | %s |" % (
                op, "%.1f KB" % (size / 1000) if size else "?", ms(ours.get(op)), ms(scan.get(op)),
                ratio(ours.get(op), scan.get(op)))
            for key, _ in PEERS:
                v = r.get(key, {}).get(op)
                row += " %s | %s |" % (ms(v), ratio(ours.get(op), v))
            p(row)
        p("")
        p("Breakdown of ours (median ms): decode alone (no request) / `Tree::parse` alone / scan+attributes floor\n")
        p("| operation | request+decode | decode | tree | scan | scan+attrs |")
        p("|---|---:|---:|---:|---:|---:|")
        for op in OPS:
            p("| %s | %s | %s | %s | %s | %s |" % (
                op, ms(ours.get(op)), ms(r.get("ours_decode_only", {}).get(op)),
                ms(r.get("ours_tree_only", {}).get(op)), ms(scan.get(op)),
                ms(r.get("scan_attrs", {}).get(op))))
        p("")
        p("### Other micro-benchmarks (ours, median)\n")
        p("| what | median |")
        p("|---|---:|")
        for key, label in [("encode/get_numbers_request", "encode get_numbers request envelope"),
                           ("encode/get_rates_list_request", "encode get_rates_list request envelope"),
                           ("codegen/generate_all_snapshots", "full regeneration of all snapshots"),
                           ("codegen/load_model", "  of which load_model (WSDL/XSD -> model)"),
                           ("codegen/emit", "  of which emit (model -> formatted Rust)")]:
            v = ours.get(key)
            p("| %s | %s |" % (label, "n/a" if v is None else ("%.2f µs" % (v * 1000) if v < 0.1 else "%.1f ms" % v)))
        p("")
    p("### End to end: get_numbers (100 numbers) over loopback to one SOAP::Lite server (median per call)\n")
    p("keep-alive: the server keeps connections open, each client reuses one; new connection: the "
      "server closes every connection (`--close`), every call includes a TCP connect. "
      "Connections: opened by the client's whole run (10 warm-up calls included).\n")
    p("| client | mode | wall ms | client CPU ms | ours CPU / peer CPU | connections |")
    p("|---|---|---:|---:|---:|---:|")
    for mode, label in E2E_MODES:
        oc = e2e(r, "ours", mode, "cpu")
        for key, name in E2E_CLIENTS:
            c = e2e(r, key, mode, "cpu")
            conns = r.get(key, {}).get("e2e_%s_connections" % mode)
            p("| %s | %s | %s | %s | %s | %s |" % (
                name, label, ms(e2e(r, key, mode, "wall")), ms(c),
                "" if key.startswith("ours") else ratio(oc, c),
                "" if conns is None else "%d" % conns))
    p("")
    if "decode_peak_heap_bytes_10000" in ours or "vmhwm_delta_kib_10000" in r.get("gsoap", {}):
        p("### Memory: decoding the 10,000-number response\n")
        size = r.get("size", {}).get("get_numbers_10000") or ours.get("body_bytes_10000")
        p("| what | bytes | x body |")
        p("|---|---:|---:|")
        rows = [("response body", size),
                ("ours: peak heap allocated by decode_response (counting allocator)", ours.get("decode_peak_heap_bytes_10000")),
                ("ours: of which the parse tree (Tree::parse)", ours.get("tree_bytes_10000")),
                ("ours: the decoded value (retained)", ours.get("decoded_value_bytes_10000")),
                ("ours: VmHWM growth during decode", (ours["vmhwm_kib_10000"] - ours["rss_before_decode_kib_10000"]) * 1024
                 if "vmhwm_kib_10000" in ours else None),
                ("gSOAP: VmHWM growth during the call", r.get("gsoap", {}).get("vmhwm_delta_kib_10000", 0) * 1024 or None),
                ("PHP: VmHWM growth during the call", r.get("php", {}).get("vmhwm_delta_kib_10000", 0) * 1024 or None)]
        for label, v in rows:
            p("| %s | %s | %s |" % (label, "n/a" if v is None else "{:,}".format(int(v)),
                                    "n/a" if v is None or not size else "%.2f" % (v / size)))
        if "decode_allocations_10000" in ours:
            p("\n(ours: %d allocations in that decode)" % ours["decode_allocations_10000"])
        p("")
    if any(k.startswith("compile_") for k in ours):
        p("### Compile time of telinta-api (all services), fresh target directory\n")
        p("| profile | clean build incl. dependencies | the crate alone | rlib |")
        p("|---|---:|---:|---:|")
        for prof in ["debug", "release"]:
            p("| %s | %s s | %s s | %s |" % (
                prof, ours.get("compile_clean_%s_s" % prof, "n/a"), ours.get("compile_crate_only_%s_s" % prof, "n/a"),
                "%.1f MB" % (ours["rlib_%s_bytes" % prof] / 1e6) if "rlib_%s_bytes" % prof in ours else "n/a"))
        p("")
        if any(k.startswith("compile_crate_only_debug_none") for k in ours):
            p("The crate alone by services (cargo features), seconds:\n")
            p("| profile | all (default) | none (session + shared) | didapi only | internal only |")
            p("|---|---:|---:|---:|---:|")
            for prof in ["debug", "release"]:
                p("| %s | %s | %s | %s | %s |" % (prof, *[ours.get("compile_crate_only_%s%s_s" % (prof, f), "n/a")
                                                       for f in ["", "_none", "_didapi", "_internal"]]))
            p("")
    p("### Targets of the issue\n")
    p("| target | measured | verdict |")
    p("|---|---|---|")

    def verdict(ok):
        return "n/a" if ok is None else ("met" if ok else "**missed**")

    o, s = ours.get("get_numbers_100"), scan.get("get_numbers_100")
    q = o / s if o and s else None
    p("| 100-item decode (with request) <= 1.5x the raw scan | %s | %s |" % (
        "%.2fx" % q if q else "n/a", verdict(None if q is None else q <= 1.5)))
    g = r.get("gsoap", {}).get("get_numbers_100")
    q = o / g if o and g else None
    p("| ... so >= 2.5x ahead of gSOAP (ours/gSOAP <= 0.40) | %s | %s |" % (
        "ours/gSOAP %.2f (%.1fx %s)" % (q, 1 / q if q < 1 else q, "ahead" if q < 1 else "behind") if q else "n/a",
        verdict(None if q is None else q <= 0.4)))
    h = r.get("php", {}).get("get_numbers_100")
    q = o / h if o and h else None
    p("| ... and 4x ahead of PHP (ours/PHP <= 0.25) | %s | %s |" % (
        "ours/PHP %.2f (%.1fx %s)" % (q, 1 / q if q < 1 else q, "ahead" if q < 1 else "behind") if q else "n/a",
        verdict(None if q is None else q <= 0.25)))
    for mode, label in E2E_MODES:
        oc, gc = e2e(r, "ours", mode, "cpu"), e2e(r, "gsoap", mode, "cpu")
        q = oc / gc if oc and gc else None
        p("| end-to-end client CPU per call <= 0.5x gSOAP's (%s) | %s | %s |" % (
            label, "%.2fx (%s vs %s ms)" % (q, ms(oc), ms(gc)) if q else "n/a",
            verdict(None if q is None else q <= 0.5)))
    cg = ours.get("codegen/generate_all_snapshots")
    p("| full regeneration of all snapshots < 0.3 s | %s | %s |" % (
        "%.0f ms" % cg if cg else "n/a", verdict(None if cg is None else cg < 300)))
    pr = ours.get("decode_peak_ratio_10000")
    p("| 10,000-number decode peak < 3x the body | %s | %s |" % (
        "%.2fx" % pr if pr else "n/a", verdict(None if pr is None else pr < 3)))
    if skips or notes:
        p("\n### Left out / notes\n")
        for s_ in notes:
            p("- " + s_)
        for s_ in skips:
            p("- skipped: " + s_)
    print("\n".join(out))


if __name__ == "__main__":
    main()
