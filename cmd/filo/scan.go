package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/filoproject/filo"
	"github.com/filoproject/filo/policy"
	"github.com/filoproject/filo/scan"
)

func init() { register(newScanCmd) }

func newScanCmd(a *app) *cobra.Command {
	var policyPath string
	var full bool
	cmd := &cobra.Command{
		Use:   "scan",
		Short: "Resolve entities, score them and store ranked leads",
		Long: `scan analyses everything ingested so far and replaces the previous scan's
results:

  1. entity resolution: which records are the same person, which are related
     (households, facilitator rings); analysts' link/unlink judgements win;
     entity ids stay stable from one scan to the next; parties ingested
     since the last scan are resolved against its entities with its model
     (a new judgement, a corrected file, more than half the parties new, or
     --full resolve everything again);
  2. scoring: the indicator policy (built in, or --policy FILE) over each
     person's payments and the payment network;
  3. online traces: platform accounts tied to people through sessions, IP
     subscribers and chats, and calls that line up with payments;
  4. scoring again with what the traces showed.

Leads are for human review: each says which indicators fired and points at
the source rows. Examples:

  filo scan --db case.db
  filo scan --db case.db --policy my-policy.yaml --log-level info
  filo scan --db case.db --full      # re-estimate the model, resolve every record again
  filo leads --db case.db --role buyer --format csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			opt := scan.Options{Log: a.log, FullResolution: full}
			if policyPath != "" {
				p, err := policy.Load(policyPath)
				if err != nil {
					return err
				}
				opt.Policy = p
			}
			if isTerminal(a.stderr) {
				start := time.Now()
				opt.Stage = func(name string) {
					fmt.Fprintf(a.stderr, "[%6.1fs] %s…\n", time.Since(start).Seconds(), name)
				}
			}
			st, err := a.openStore(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			r, err := scan.Run(ctx, st, opt)
			if err != nil {
				return err
			}
			var buyers, rings int
			for _, l := range r.Leads {
				switch l.Role {
				case filo.RoleBuyer:
					buyers++
				case filo.RoleFacilitator:
					rings++
				}
			}
			fmt.Fprintf(a.stdout, "scan: %d entities, %d buyer leads, %d facilitator-ring leads (policy %s)\n",
				len(r.Entities), buyers, rings, r.Policy)
			return nil
		},
	}
	cmd.Flags().StringVar(&policyPath, "policy", "", "indicator policy file (YAML); default: the built-in policy")
	cmd.Flags().BoolVar(&full, "full", false, "resolve every record again, even when only new parties need it")
	return cmd
}
