package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/filoproject/filo"
	"github.com/filoproject/filo/report"
)

func init() {
	register(newLeadsCmd)
	register(newExplainCmd)
	register(newEntitiesCmd)
}

func newLeadsCmd(a *app) *cobra.Command {
	var role, format string
	var limit int
	cmd := &cobra.Command{
		Use:   "leads --db DB --role buyer|facilitator --format csv|json",
		Short: "List the last scan's leads, best first",
		Long: `leads prints the ranked leads of the last scan. CSV has the contract's
columns: rank, lead_id, role, score, party_ids, platform_accounts, reasons
(indicator codes, strongest first); JSON adds each reason's figures, sources
and evidence rows (transaction ids with file:line).

  filo leads --db case.db --role buyer --format csv
  filo leads --db case.db --role facilitator --format json --limit 10`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if role != "" && role != filo.RoleBuyer && role != filo.RoleFacilitator {
				return filo.Errorf(filo.EINVALID, "--role %q: want buyer or facilitator", role)
			}
			st, err := a.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			leads, err := st.Leads(cmd.Context(), filo.LeadFilter{Role: role, Limit: limit})
			if err != nil {
				return err
			}
			switch format {
			case "csv":
				return report.LeadsCSV(a.stdout, leads)
			case "json":
				return report.LeadsJSON(a.stdout, leads)
			}
			return filo.Errorf(filo.EINVALID, "--format %q: want csv or json", format)
		},
	}
	cmd.Flags().StringVar(&role, "role", "", "buyer or facilitator (default: both)")
	cmd.Flags().StringVar(&format, "format", "csv", "csv or json")
	cmd.Flags().IntVar(&limit, "limit", 0, "at most this many leads (0: all)")
	return cmd
}

func newExplainCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "explain --db DB LEAD_ID",
		Short: "Explain one lead in words an analyst can paste into a report",
		Long: `explain writes a plain account of one lead: whom it covers, each indicator
that fired with its figures, research source and the rows behind it, what
speaks against it, and how platform accounts were attributed.

  filo leads --db case.db --role buyer --limit 3
  filo explain --db case.db B-E1a2b3c4d5e`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			l, err := st.Lead(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			return report.Explain(a.stdout, l)
		},
	}
}

func newEntitiesCmd(a *app) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "entities --db DB --format csv",
		Short: "List which records the last scan resolved to which person",
		Long: `entities prints one row per input record: entity_id, record_type (party or
platform_account) and record_id (party_id, or platform:account_id).

  filo entities --db case.db --format csv > entities.csv
  filo entity --db case.db E1a2b3c4d5e      # one entity and why its records were linked`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if format != "csv" {
				return filo.Errorf(filo.EINVALID, "--format %q: want csv", format)
			}
			st, err := a.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			es, err := st.Entities(cmd.Context())
			if err != nil {
				return err
			}
			if len(es) == 0 {
				fmt.Fprintln(a.stderr, "filo: no entities yet: run `filo scan` first")
			}
			return report.EntitiesCSV(a.stdout, es)
		},
	}
	cmd.Flags().StringVar(&format, "format", "csv", "csv")
	return cmd
}
