package main

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/filoproject/filo"
	"github.com/filoproject/filo/deteval"
	"github.com/filoproject/filo/ereval"
	"github.com/filoproject/filo/truth"
)

func init() {
	registerEval(newEvalERCmd)
	registerEval(newEvalDetectCmd)
}

func newEvalERCmd(a *app) *cobra.Command {
	var truthDir, format string
	cmd := &cobra.Command{
		Use:   "er --db DB --truth DIR",
		Short: "Pairwise precision, recall and F1 of the stored entities",
		Long: `er compares the last scan's entities with the truth: every pair of records
put in one entity is a found pair, every pair of records of one true person a
true pair.

  filo eval er --db case.db --truth case.truth`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			t, err := truth.Read(truthDir)
			if err != nil {
				return err
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
			res := map[string]ereval.Score{
				filo.RecordParty:           ereval.Pairwise(es, t, filo.RecordParty),
				filo.RecordPlatformAccount: ereval.Pairwise(es, t, filo.RecordPlatformAccount),
			}
			if format == "json" {
				return json.NewEncoder(a.stdout).Encode(res)
			}
			for _, k := range []string{filo.RecordParty, filo.RecordPlatformAccount} {
				s := res[k]
				fmt.Fprintf(a.stdout, "eval er %-16s records %7d  precision %.4f  recall %.4f  F1 %.4f  (pairs true %d, found %d)\n",
					k, s.Records, s.Precision, s.Recall, s.F1, s.TruePairs, s.FoundPairs)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&truthDir, "truth", "", "truth folder written by filo synth (DIR.truth)")
	cmd.Flags().StringVar(&format, "format", "text", "text or json")
	cmd.MarkFlagRequired("truth")
	return cmd
}

func newEvalDetectCmd(a *app) *cobra.Command {
	var truthDir, format string
	cmd := &cobra.Command{
		Use:   "detect --db DB --truth DIR",
		Short: "Precision at K, recall and average precision of the stored leads",
		Long: `detect compares the last scan's ranked leads with the truth, per person: K is
the number of true buyers (or rings); a lead is a hit for the true person (or
ring) most of its records belong to, once. False positives in the top K are
broken down by the truth role of whom they cover.

  filo eval detect --db case.db --truth case.truth
  filo eval detect --db case.db --truth case.truth --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			t, err := truth.Read(truthDir)
			if err != nil {
				return err
			}
			st, err := a.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			leads, err := st.Leads(cmd.Context(), filo.LeadFilter{})
			if err != nil {
				return err
			}
			res := []deteval.Score{deteval.Evaluate(leads, t, filo.RoleBuyer), deteval.Evaluate(leads, t, filo.RoleFacilitator)}
			if format == "json" {
				return json.NewEncoder(a.stdout).Encode(res)
			}
			for _, s := range res {
				fmt.Fprintf(a.stdout, "eval detect %-11s K %4d  leads %5d  precision@K %.3f  recall %.3f  AP %.3f  false positives@K %v\n",
					s.Role, s.K, s.Leads, s.PrecisionAtK, s.Recall, s.AP, s.FalsePositives)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&truthDir, "truth", "", "truth folder written by filo synth (DIR.truth)")
	cmd.Flags().StringVar(&format, "format", "text", "text or json")
	cmd.MarkFlagRequired("truth")
	return cmd
}
