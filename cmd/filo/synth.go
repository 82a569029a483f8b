package main

import (
	"fmt"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/filoproject/filo/synth"
)

func init() { register(newSynthCmd) }

func newSynthCmd(a *app) *cobra.Command {
	var (
		out   string
		seed  uint64
		scale float64
		force bool
	)
	cmd := &cobra.Command{
		Use:   "synth --out DIR [--seed N] [--scale F]",
		Short: "Write a synthetic case folder, with its ground truth beside it",
		Long: `synth builds a synthetic world over two years (2024-2025) and writes it as a
case folder of interchange format v1, with the ground truth in DIR.truth
beside it (never inside DIR, so an ingest can never see it).

The world holds, at scale 1, about 45,000 people and 450,000 payments:
diaspora family remitters (the largest group), men supporting a partner
abroad, monthly sponsors of children's charities, romance-scam victims,
adult-site customers (a few paying adult performers directly), importers
and ordinary people; and, hidden among them, about 300 buyers (heavy-tailed:
most pay once or twice, a few hundreds of times, escalating) and 30
facilitator rings receiving through relatives' identities. Buyers appear
under name variants at several institutions and as walk-in records; platform
accounts, sessions, provider subscriber records and a few chats tie some of
them to their payments; a watchlist names a minority of the facilitators.
Everything is invented: IPs from 100.64.0.0/10 and 2001:db8::/32, emails at
example domains, neutral chat text.

The same seed and scale give the same bytes. --scale grows the world
linearly (about 450,000 payments per unit; 10 million at --scale 22).

  filo synth --out case --seed 1
  filo synth --out big --seed 7 --scale 22      # about 10 million payments
  filo eval detect --db case.db --truth case.truth`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return fmt.Errorf("--out DIR is required")
			}
			cfg := synth.Config{Seed: seed, Scale: scale, Force: force}
			var bar *progressbar.ProgressBar
			if isTerminal(a.stderr) {
				cfg.Progress = func(done, total int) {
					if bar == nil {
						bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(a.stderr),
							progressbar.OptionSetDescription("synth"), progressbar.OptionClearOnFinish())
					}
					bar.Set(done)
				}
			}
			start := time.Now()
			st, err := synth.Generate(cmd.Context(), out, cfg)
			if bar != nil {
				bar.Finish()
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "synth: %d senders, %d transactions in %s (truth in %s) in %.1fs\n",
				st.Senders, st.Transactions, st.Dir, st.Truth, time.Since(start).Seconds())
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "case folder to write (created; must be empty unless --force)")
	cmd.Flags().Uint64Var(&seed, "seed", 1, "random seed: the same seed and scale give the same world")
	cmd.Flags().Float64Var(&scale, "scale", 1, "size of the world: 1 is about 45,000 people and 450,000 payments")
	cmd.Flags().BoolVar(&force, "force", false, "write into a folder that is not empty, replacing its files")
	return cmd
}
