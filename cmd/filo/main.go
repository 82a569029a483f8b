// Command filo turns payment records, platform metadata and chats into
// ranked, explained leads for human review. It only wires: every piece of
// work lives in a package of its own.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"sort"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/filoproject/filo"
)

// commands holds the constructors of the sub-commands; each command's file
// registers its own, so that the files can grow independently.
var commands []func(*app) *cobra.Command

func register(f func(*app) *cobra.Command) { commands = append(commands, f) }

// app is what every command shares: the global flags and the output streams.
type app struct {
	db         string
	logLevel   string
	cpuProfile string
	memProfile string
	cpuFile    *os.File
	memLimit   string
	stdout     io.Writer
	stderr     io.Writer
	log        *slog.Logger
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// stdin is what commands read passwords from; tests replace it.
var stdin io.Reader = os.Stdin

// run is main without the process: tests call it with their own streams.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	a := &app{stdout: stdout, stderr: stderr}
	root := &cobra.Command{
		Use:   "filo",
		Short: "Find buyers and facilitators of live-streamed child abuse in payment records",
		Long: `filo turns the traces that live-streamed child sexual abuse leaves (small
cross-border payments, online-platform metadata, chats) into a ranked list of
leads for human review, each explained by the indicators that fired and
traceable to the source rows. It decides nothing about anyone.

A whole case, on the embedded store (one file, no server):

  filo synth  --out case --seed 1      # a synthetic case folder (truth beside it)
  filo ingest --db case.db case        # validate and load every file, all or nothing
  filo scan   --db case.db             # resolve entities, score, store ranked leads
  filo leads  --db case.db --role buyer --format csv
  filo explain --db case.db LEAD_ID    # a readable account of one lead

--db takes a file path (the embedded SQLite store) or a postgres:// URL.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			var lvl slog.Level
			if err := lvl.UnmarshalText([]byte(a.logLevel)); err != nil {
				return fmt.Errorf("--log-level %q: want debug, info, warn or error", a.logLevel)
			}
			a.log = slog.New(slog.NewTextHandler(a.stderr, &slog.HandlerOptions{Level: lvl}))
			slog.SetDefault(a.log)
			if err := a.setMemoryLimit(); err != nil {
				return err
			}
			return a.startProfiles()
		},
	}
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetArgs(args)
	root.PersistentFlags().StringVar(&a.db, "db", "filo.db", "case store: a file path (embedded SQLite) or a postgres:// URL")
	root.PersistentFlags().StringVar(&a.logLevel, "log-level", "warn", "log level on stderr: debug, info, warn or error")
	root.PersistentFlags().StringVar(&a.memLimit, "memory-limit", "", "soft limit on the memory filo's heap may take, e.g. 7GiB: past it the garbage collector works harder rather than growing (default: $GOMEMLIMIT, else none)")
	root.PersistentFlags().StringVar(&a.cpuProfile, "cpuprofile", "", "write a CPU profile of the command to this file (for `go tool pprof`)")
	root.PersistentFlags().StringVar(&a.memProfile, "memprofile", "", "write a memory profile of the command to this file: what it allocated, and what was still in use at its end")
	cmds := make([]*cobra.Command, 0, len(commands))
	for _, f := range commands {
		cmds = append(cmds, f(a))
	}
	sort.Slice(cmds, func(i, j int) bool { return cmds[i].Name() < cmds[j].Name() })
	root.AddCommand(cmds...)

	err := root.ExecuteContext(ctx)
	if perr := a.stopProfiles(); err == nil {
		err = perr
	}
	if err != nil {
		return a.fail(err)
	}
	return 0
}

// Exit statuses.
const (
	exitError = 1 // anything that went wrong
	exitInput = 2 // bad input: a file, line and column were named
	exitUsage = 64
)

// fail prints err once, in the words a user can act on, and picks the exit
// status.
func (a *app) fail(err error) int {
	var ie *filo.InputError
	var ies filo.InputErrors
	switch {
	case errors.As(err, &ies):
		for _, e := range ies {
			fmt.Fprintln(a.stderr, e.Error())
		}
		fmt.Fprintf(a.stderr, "filo: %d problem(s) found; nothing was stored\n", len(ies))
		return exitInput
	case errors.As(err, &ie):
		fmt.Fprintln(a.stderr, ie.Error())
		fmt.Fprintln(a.stderr, "filo: nothing was stored")
		return exitInput
	case filo.ErrorCode(err) == filo.EINVALID:
		fmt.Fprintf(a.stderr, "filo: %v\n", err)
		return exitUsage
	}
	fmt.Fprintf(a.stderr, "filo: %v\n", err)
	return exitError
}
