// Command bizapi checks the messages of the bizapi-cn SDK's four providers
// offline: it makes and verifies signatures, prints canonical strings,
// decrypts captured callbacks and says what a key file holds. When something
// does not verify it exits non-zero and prints a diagnosis: what was compared
// (the string-to-sign with personal values masked, the field order, the
// algorithm, the fingerprint of the key tried) and the likely cause when it
// recognises one.
//
// Secrets (HMAC secrets, appKeys, aesKeys, fileKeys, private keys) are read
// only from files or environment variables, never from arguments, and never
// printed unless --reveal is given. Personal data (ID card, bank card and
// phone numbers, names) is masked in the output unless --reveal is given.
//
// Install:
//
//	go install github.com/bizapi-cn/go-sdk/cmd/bizapi@latest
//
// Run "bizapi help" for the list of commands.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv))
}

// Exit codes.
const (
	exitOK      = 0
	exitFailed  = 1 // a check failed: signature, hash, pair, bill totals
	exitUsage   = 2 // bad arguments or unreadable input
	usageHeader = "usage: bizapi <group> <command> [flags]\n"
)

// env is what one run of the tool sees of the outside world.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
}

// command is one subcommand: flags declares its flags on fs and returns the
// function that runs it with the parsed flags and the remaining arguments.
type command struct {
	summary string
	flags   func(fs *flag.FlagSet) func(e *env, args []string) error
}

// commands lists every subcommand by "group command".
var commands = map[string]command{
	"levy sign":          {"make the req and sign of a request from JSON", levySign},
	"levy verify":        {"verify a notice (req/sign form) or an answer's Api-Sign", levyVerify},
	"allinpay canonical": {"print the canonical string (and signature) of a form", allinpayCanonical},
	"allinpay verify":    {"verify an answer or a notification with the platform key", allinpayVerify},
	"allinpay bill":      {"check a reconciliation file and print its summary", allinpayBill},
	"evidence hash":      {"compute the DECSHASH of a body", evidenceHash},
	"evidence unwrap":    {"unwrap an aesKey with the integrator's RSA private key", evidenceUnwrap},
	"evidence decrypt":   {"decrypt an AES-128-ECB field with the aesKey", evidenceDecrypt},
	"evidence ssec":      {"make the SSE-C headers of a fileKey", evidenceSSEC},
	"evidence verify":    {"verify a notification's DECSHASH and DECSSIGN", evidenceVerify},
	"scancode decrypt":   {"decrypt a captured callback, trying the envelope encodings", scancodeDecrypt},
	"keys inspect":       {"say what key files hold: kind, size, format, fingerprint", keysInspect},
	"keys pair":          {"say whether a private and a public key form a pair", keysPair},
}

// takesArgs lists the commands that take positional arguments (file paths).
var takesArgs = map[string]bool{"keys inspect": true}

// failure is a check that did not pass; its diagnosis has been printed.
type failure struct{ msg string }

func (f *failure) Error() string { return f.msg }

// usageError is a mistake in the arguments or the input.
type usageError struct{ msg string }

func (u *usageError) Error() string { return u.msg }

func usagef(format string, a ...any) error { return &usageError{fmt.Sprintf(format, a...)} }

func failf(format string, a ...any) error { return &failure{fmt.Sprintf(format, a...)} }

// run is the whole tool, with its environment passed in so that tests run it
// in-process.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		printUsage(stdout)
		return exitOK
	}
	if args[0] == "version" || args[0] == "--version" {
		fmt.Fprintln(stdout, "bizapi", Version)
		return exitOK
	}
	if len(args) < 2 {
		fmt.Fprintf(stderr, "bizapi: %q needs a command\n", args[0])
		printUsage(stderr)
		return exitUsage
	}
	name := args[0] + " " + args[1]
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "bizapi: unknown command %q\n", name)
		printUsage(stderr)
		return exitUsage
	}
	fs := flag.NewFlagSet("bizapi "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: bizapi %s [flags]\n%s\n\nflags:\n", name, c.summary)
		fs.PrintDefaults()
	}
	do := c.flags(fs)
	if err := fs.Parse(args[2:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if len(fs.Args()) > 0 && !takesArgs[name] {
		// The argument is not echoed: it may be a secret typed by mistake.
		fmt.Fprintf(stderr, "bizapi %s: unexpected argument (input comes from --in FILE or stdin, secrets from --*-env or --*-file)\n", name)
		return exitUsage
	}
	err := do(e, fs.Args())
	var f *failure
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &f):
		fmt.Fprintf(stderr, "bizapi %s: FAILED: %s\n", name, f.msg)
		return exitFailed
	default:
		fmt.Fprintf(stderr, "bizapi %s: %v\n", name, err)
		return exitUsage
	}
}

func printUsage(w io.Writer) {
	fmt.Fprint(w, usageHeader)
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-20s %s\n", n, commands[n].summary)
	}
	fmt.Fprint(w, "\nSecrets are read from files (--*-file) or environment variables (--*-env), never from arguments.\n"+
		"Personal data and secrets are masked unless --reveal is given. \"bizapi <group> <command> -h\" lists a command's flags.\n")
}

// out is a writer of "label: value" report lines.
type out struct{ w io.Writer }

func (o out) line(label, format string, a ...any) {
	fmt.Fprintf(o.w, "%-18s %s\n", label+":", fmt.Sprintf(format, a...))
}

func (o out) text(format string, a ...any) { fmt.Fprintf(o.w, format+"\n", a...) }

// input reads the command's input: the file named by --in, or stdin for "-".
type input struct{ path string }

func inputFlag(fs *flag.FlagSet, what string) *input {
	in := &input{}
	fs.StringVar(&in.path, "in", "-", "file holding "+what+` ("-" for stdin)`)
	return in
}

func (in *input) read(e *env) ([]byte, error) {
	if in.path == "-" || in.path == "" {
		if f, ok := e.stdin.(*os.File); ok {
			if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
				return nil, usagef("no input: give --in FILE or pipe the capture into stdin")
			}
		}
		b, err := io.ReadAll(io.LimitReader(e.stdin, 64<<20))
		if err != nil {
			return nil, usagef("read stdin: %v", err)
		}
		return b, nil
	}
	b, err := os.ReadFile(in.path)
	if err != nil {
		return nil, usagef("read --in: %v", err)
	}
	return b, nil
}

// trimNL removes the line endings an editor or "echo" adds to a file.
func trimNL(b []byte) []byte { return []byte(strings.TrimRight(string(b), "\r\n")) }
