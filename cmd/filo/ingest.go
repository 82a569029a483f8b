package main

import (
	"fmt"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/filoproject/filo/casefolder"
)

func init() { register(newIngestCmd) }

func newIngestCmd(a *app) *cobra.Command {
	var report bool
	cmd := &cobra.Command{
		Use:   "ingest --db DB DIR",
		Short: "Validate a case folder and load it into the store, all or nothing",
		Long: `ingest reads every recognised CSV file of a case folder (interchange format
v1: parties.csv and transactions.csv are required; accounts, platform_accounts,
sessions, subscribers, messages, watchlist and fx_rates are optional), checks
every cell and loads the records into the case store in one transaction.

All or nothing: after any problem the store is exactly as it was, and the
problem is named by file, line and column, e.g.

  transactions.csv:4:3: amount "12,5": want a decimal number with a dot separator

Ingesting the same folder again changes nothing; a file that changed since
replaces everything its earlier version brought. Amounts are converted to USD
with fx_rates.csv where given, else with built-in reference rates; the
original amount and currency are kept. Every record keeps its file, the
file's SHA-256 and its line.

  filo ingest --db case.db ./case-2025-07
  filo ingest --db case.db --report ./case-2025-07   # list every problem, store nothing
  filo ingest --db postgres://filo@db.example.org/cases ./case-2025-07`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			st, err := a.openStore(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			opt := casefolder.Options{Report: report, Log: a.log}
			var bar *progressbar.ProgressBar
			if isTerminal(a.stderr) {
				opt.Progress = func(done, total int64) {
					if bar == nil {
						bar = progressbar.NewOptions64(total, progressbar.OptionSetWriter(a.stderr),
							progressbar.OptionShowBytes(true), progressbar.OptionSetDescription("ingest"),
							progressbar.OptionClearOnFinish(), progressbar.OptionThrottle(100_000_000))
					}
					bar.Set64(done)
				}
			}
			stats, err := casefolder.Ingest(ctx, args[0], st, opt)
			if bar != nil {
				bar.Finish()
			}
			if err != nil {
				return err
			}
			rows := 0
			for _, f := range stats.Files {
				if f.Skipped {
					fmt.Fprintf(a.stdout, "%-22s unchanged since last ingest, skipped\n", f.File)
					continue
				}
				rows += f.Rows
				fmt.Fprintf(a.stdout, "%-22s %9d rows in %5.1fs (%7.0f rows/s)  sha256 %.12s\n", f.File, f.Rows, f.Duration.Seconds(),
					float64(f.Rows)/max(f.Duration.Seconds(), 1e-9), f.SHA256)
			}
			secs := stats.Duration.Seconds()
			fmt.Fprintf(a.stdout, "ingest: %d rows from %s in %.1fs (%.0f rows/s)\n", rows, args[0], secs, float64(rows)/max(secs, 1e-9))
			return nil
		},
	}
	cmd.Flags().BoolVar(&report, "report", false, "list every problem found in one pass instead of stopping at the first (nothing is stored)")
	return cmd
}
