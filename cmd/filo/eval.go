package main

import "github.com/spf13/cobra"

// evalCommands holds the constructors of `filo eval` sub-commands.
var evalCommands []func(*app) *cobra.Command

func registerEval(f func(*app) *cobra.Command) { evalCommands = append(evalCommands, f) }

func init() { register(newEvalCmd) }

func newEvalCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "eval",
		Short: "Score filo against a synthetic world's ground truth",
		Long: `eval compares what filo found with the ground truth that 'filo synth' wrote
beside the case folder (DIR.truth), so that every change to resolution or
scoring is measured, not guessed.

  filo synth --out w --seed 3
  filo ingest --db w.db w && filo scan --db w.db
  filo eval er     --db w.db --truth w.truth
  filo eval detect --db w.db --truth w.truth`,
	}
	for _, f := range evalCommands {
		cmd.AddCommand(f(a))
	}
	return cmd
}
