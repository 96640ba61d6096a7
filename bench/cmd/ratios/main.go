// Command ratios reads `go test -bench` output on standard input and prints
// each comparison as a ratio: for every benchmark with a "floor"
// sub-benchmark ("tuned" in the scaling benchmarks), each other
// sub-benchmark's median ns/op and allocs/op over the floor's; where there
// is no floor, each rival over "sdk". Custom metrics (b.ReportMetric) are
// printed as medians, with their range when the runs differ.
//
//	go test -run '^$' -bench . -benchmem -count 6 ./bench/... | go run ./bench/cmd/ratios
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
)

// sample is every value seen for one metric of one sub-benchmark.
type sample map[string][]float64

// line is a result line: the benchmark's name as printed (with its
// GOMAXPROCS suffix, if any), the iterations, the metrics.
var line = regexp.MustCompile(`^(Benchmark\S+)\s+\d+\s+(.*)$`)

// suffix is a trailing "-N", which go test appends for GOMAXPROCS N ≠ 1.
var suffix = regexp.MustCompile(`^(.*)-(\d+)$`)

// split separates a printed name from its GOMAXPROCS suffix. A name of
// its own may end in "-N" (a sub-benchmark "not UTF-8" prints as
// "not_UTF-8", and bare at GOMAXPROCS 1): printed is taken whole when the
// run also printed it with a suffix of its own (stripped holds every
// printed name with its suffix taken off), as scripts/bench.sh's -cpu 1,2
// always does; a run at GOMAXPROCS 1 alone cannot tell the two apart.
func split(printed string, stripped map[string]bool) (name, procs string) {
	m := suffix.FindStringSubmatch(printed)
	if m == nil || stripped[printed] {
		return printed, ""
	}
	return m[1], m[2]
}

func main() {
	if err := run(os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "ratios:", err)
		os.Exit(1)
	}
}

func run(in io.Reader, out io.Writer) error {
	data := map[string]map[string]sample{} // group -> sub -> metric -> values
	var order []string
	var lines [][]string
	stripped := map[string]bool{}
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		if m := line.FindStringSubmatch(sc.Text()); m != nil {
			lines = append(lines, m)
			if n := suffix.FindStringSubmatch(m[1]); n != nil {
				stripped[n[1]] = true
			}
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	for _, m := range lines {
		name, procs := split(m[1], stripped)
		group, sub := name, ""
		if i := strings.LastIndex(name, "/"); i >= 0 {
			group, sub = name[:i], name[i+1:]
		}
		if procs != "" {
			group += " (cpu " + procs + ")"
		}
		if data[group] == nil {
			data[group] = map[string]sample{}
			order = append(order, group)
		}
		if data[group][sub] == nil {
			data[group][sub] = sample{}
		}
		f := strings.Fields(m[2])
		for i := 0; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				continue
			}
			data[group][sub][f[i+1]] = append(data[group][sub][f[i+1]], v)
		}
	}
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "benchmark\tvs\ttime ratio\tallocs ratio\tns/op\tallocs/op\tother metrics")
	for _, g := range order {
		subs := data[g]
		names := make([]string, 0, len(subs))
		for s := range subs {
			names = append(names, s)
		}
		slices.Sort(names)
		for _, s := range names {
			base := baseFor(s, subs)
			if s == base && len(subs) > 1 {
				continue
			}
			ns, allocs := median(subs[s]["ns/op"]), median(subs[s]["allocs/op"])
			tr, ar := "-", "-"
			if b, ok := subs[base]; ok && s != base {
				tr = ratio(ns, median(b["ns/op"]))
				ar = ratio(allocs, median(b["allocs/op"]))
			}
			var other []string
			for k, v := range subs[s] {
				if k != "ns/op" && k != "allocs/op" && k != "B/op" && k != "MB/s" {
					other = append(other, k+"="+spread(v))
				}
				if k == "MB/s" {
					other = append(other, fmt.Sprintf("MB/s=%.0f", median(v)))
				}
			}
			slices.Sort(other)
			label := g
			if s != "" {
				label = g + "/" + s
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%.0f\t%.0f\t%s\n", label, base, tr, ar, ns, allocs, strings.Join(other, " "))
		}
	}
	return w.Flush()
}

// baseFor picks what s is compared with: the SDK with its floor (a
// "tuned" hand-written client is the floor of the scaling benchmarks), a
// rival (another SDK) with the SDK, and anything else with the floor. A
// paired leg ("paired", "paired-transport") runs both sides itself and
// reports their ratio as a metric: it is compared with nothing ("-").
func baseFor(s string, subs map[string]sample) string {
	if strings.HasPrefix(s, "paired") {
		return "-"
	}
	floor := "floor"
	if _, ok := subs[floor]; !ok {
		if _, ok := subs["tuned"]; ok {
			floor = "tuned"
		}
	}
	_, hasFloor := subs[floor]
	_, hasSDK := subs["sdk"]
	switch {
	case s == "sdk" && hasFloor, s == floor:
		return floor
	case s != "sdk" && hasSDK:
		return "sdk"
	case hasFloor:
		return floor
	}
	return "sdk"
}

// spread is v's median, followed by its range when the runs differ.
func spread(v []float64) string {
	lo, hi := slices.Min(v), slices.Max(v)
	if lo == hi {
		return fmt.Sprintf("%.3g", lo)
	}
	return fmt.Sprintf("%.3g[%.3g..%.3g]", median(v), lo, hi)
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func ratio(a, b float64) string {
	switch {
	case b == 0 && a == 0:
		return "1.00x"
	case b == 0:
		return "inf"
	}
	return fmt.Sprintf("%.2fx", a/b)
}
