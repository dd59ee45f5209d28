#!/usr/bin/env python3
"""Turns bench/run's raw measurements into the report: medians, ratios to the reference measured
in the same run, targets, and gnuplot plots of the fan-out.

usage: report.py RAW_TSV OUT_DIR
"""
import collections
import os
import statistics
import subprocess
import sys

# Each scenario's reference: every other subject is compared with it. A dictionary gives one per metric.
REFERENCES = {
    "fanout": "nginx",
    "small": "nginx",
    "upload": "dd",
    "init": {"wall_s": "curl|tar", "cold_start_s": "curl|tar", "wall_s_against_one_tar": "init-container"},
    "stage": "tar|curl",
    "growth": "empty",
    "replicas": "one-replica",
    "restage": {"wall_s": "stage, first", "bytes_received": "the changed jar", "storage_bytes": "one copy"},
}


def reference_of(scenario, metric):
    reference = REFERENCES.get(scenario)
    return reference.get(metric) if isinstance(reference, dict) else reference

# (scenario, metric, subject) -> (what is compared, operator, bound). "ratio" compares the
# subject's median with the reference's; "value" takes the median (or, for errors, the sum) itself.
TARGETS = {
    ("fanout", "throughput_MiBps@64", "server"): ("ratio", ">=", 0.9),
    ("fanout", "cpu_s_per_GiB@64", "server"): ("ratio", "<=", 2.0),
    ("small", "requests_per_s", "server"): ("ratio", ">=", 0.5),
    ("upload", "MiBps", "server-v1"): ("ratio", ">=", 0.8),
    ("upload", "MiBps", "server-v0"): ("ratio", ">=", 0.8),
    ("memory", "peak_rss_MiB", "server"): ("value", "<", 400),
    ("init", "wall_s", "init-container"): ("ratio", "<=", 1.25),
    ("init", "wall_s", "init-container, by digest"): ("ratio", "<=", 1.25),
    # Issue 18: a bundle staged by digest is not slower to fetch than one tar.
    ("init", "wall_s_against_one_tar", "init-container, by digest"): ("ratio", "<=", 1.0),
    ("init", "cold_start_s", "init-container"): ("value", "<=", 0.15),
    ("stage", "wall_s", "stage"): ("ratio", "<=", 1.3),
    ("stage", "one_file_s", "stage"): ("value", "<=", 0.2),
    ("restage", "wall_s", "stage, one jar changed"): ("ratio", "<=", 0.2),
    # 1.25 times the changed jar and 256 KiB, for a 3 MiB jar.
    ("restage", "bytes_received", "stage, one jar changed"): ("ratio", "<=", 1.25 + 256 / 3072),
    ("restage", "storage_bytes", "ten stagings"): ("ratio", "<=", 1.1),
    ("growth", "download_p50_ms", "full"): ("ratio", "<=", 1.2),
    ("growth", "upload_p50_ms", "full"): ("ratio", "<=", 1.2),
    ("growth", "startup_s", "full"): ("value", "<=", 2.0),
}


def is_errors(metric):
    return metric.startswith("errors")


def load(path):
    """(scenario, metric, subject) -> values, in the order measured."""
    runs = collections.OrderedDict()
    with open(path) as f:
        for line in f:
            scenario, metric, subject, value = line.rstrip("\n").split("\t")
            runs.setdefault((scenario, metric, subject), []).append(float(value))
    return runs


def summary(metric, values):
    return sum(values) if is_errors(metric) else statistics.median(values)


def number(value):
    if value == int(value) and abs(value) >= 10:
        return f"{int(value)}"
    return f"{value:.3g}" if abs(value) < 100 else f"{value:.0f}"


def verdict(kind, operator, bound, value, ratio):
    measured = ratio if kind == "ratio" else value
    if measured is None:
        return ""
    met = {">=": measured >= bound, "<=": measured <= bound, "<": measured < bound}[operator]
    what = "ratio" if kind == "ratio" else "value"
    return f"{what} {operator} {bound}: {'met' if met else '**missed**'}"


def rows(runs):
    """One table row per (scenario, metric, subject) that is not itself a reference."""
    for (scenario, metric, subject), values in runs.items():
        reference = reference_of(scenario, metric)
        if subject == reference:
            continue
        value = summary(metric, values)
        ref_values = runs.get((scenario, metric, reference))
        ref = summary(metric, ref_values) if ref_values else None
        ratio = value / ref if ref and not is_errors(metric) else None
        target = TARGETS.get((scenario, metric, subject))
        if is_errors(metric):
            target = ("value", "<=", 0)
        yield (scenario, metric, subject, value, len(values), reference if ref is not None else "", ref, ratio,
               verdict(*target, value, ratio) if target else "")


def write_table(runs, path):
    lines = [
        "| scenario | metric | subject | median | runs | reference | its median | ratio | target |",
        "| --- | --- | --- | ---: | ---: | --- | ---: | ---: | --- |",
    ]
    for scenario, metric, subject, value, count, reference, ref, ratio, target in rows(runs):
        cells = [scenario, metric, subject, number(value), str(count), reference,
                 number(ref) if ref is not None else "", f"{ratio:.2f}" if ratio is not None else "", target]
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


FANOUT_SERIES = [("server", "staging server"), ("nginx", "nginx (sendfile)"), ("nginx-copy", "nginx (sendfile off)")]


def plot_fanout(runs, out):
    """Throughput and CPU per GiB against concurrency, one line per subject, one PNG each."""
    levels = sorted({int(metric.split("@")[1]) for (scenario, metric, _) in runs if scenario == "fanout"})
    if not levels:
        return
    series = [(subject, title) for subject, title in FANOUT_SERIES if ("fanout", f"throughput_MiBps@{levels[0]}", subject) in runs]
    for metric, title, unit in [("throughput_MiBps", "Download throughput", "MiB/s"),
                                ("cpu_s_per_GiB", "Server CPU per GiB served", "CPU seconds / GiB")]:
        data = os.path.join(out, f"fanout-{metric}.dat")
        with open(data, "w") as f:
            f.write("# connections " + " ".join(subject for subject, _ in series) + "\n")
            for level in levels:
                medians = [statistics.median(runs[("fanout", f"{metric}@{level}", subject)]) for subject, _ in series]
                f.write(f"{level} " + " ".join(str(m) for m in medians) + "\n")
        lines = ", \\\n     ".join(f'"{data}" using 1:{column} with linespoints lw 2 pt {5 + column} title "{name}"'
                                  for column, (_, name) in enumerate(series, start=2))
        script = f"""
set terminal pngcairo size 720,420 font ",10"
set output "{os.path.join(out, f"fanout-{metric}.png")}"
set title "{title} (median of runs)"
set xlabel "concurrent downloads"
set ylabel "{unit}"
set logscale x 2
set xrange [{levels[0] * 0.8}:{levels[-1] * 1.25}]
set xtics ({", ".join(str(level) for level in levels)})
set yrange [0:*]
set key below
set grid ytics
plot {lines}
"""
        subprocess.run(["gnuplot"], input=script, text=True, check=True)


def append_load_commands(out):
    """The load generator's command lines as bench/lib.sh ran them, so that anyone can rerun them."""
    commands = os.path.join(out, "load-commands.txt")
    if not os.path.exists(commands):
        return
    with open(commands) as f:
        lines = [line.rstrip("\n") for line in f if line.strip()]
    with open(os.path.join(out, "report.md"), "a") as f:
        f.write("\nLoad-generator command lines, from the repository root (SECRET: the bundle's secret; ports vary per run):\n\n```\n")
        f.write("\n".join(lines) + "\n```\n")


def main(raw, out):
    runs = load(raw)
    write_table(runs, os.path.join(out, "report.md"))
    append_load_commands(out)
    plot_fanout(runs, out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
