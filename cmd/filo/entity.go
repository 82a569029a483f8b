package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/filoproject/filo"
)

func init() { register(newEntityCmd) }

// recordRef reads a record named on the command line: a party id, or
// platform:account_id for a platform account.
func recordRef(s string) filo.RecordRef {
	if strings.Contains(s, ":") {
		return filo.RecordRef{Type: filo.RecordPlatformAccount, ID: s}
	}
	return filo.RecordRef{Type: filo.RecordParty, ID: s}
}

func newEntityCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "entity --db DB ID",
		Short: "Show one person's records and why each was linked; record analysts' judgements",
		Long: `entity shows the records the last scan resolved into one entity and, for each
link, the evidence field by field (the match weight each field added).

Analysts can correct the model. A judgement is kept with who made it and
when, wins over the model at every later scan, and can be undone:

  filo entity --db case.db E1a2b3c4d5e
  filo entity link   --db case.db P0.12 P3.456 --who "analyst 7" --reason "same passport"
  filo entity unlink --db case.db P0.12 P0.13  --who "analyst 7"
  filo entity undo   --db case.db 4 --who "analyst 7"

A and B are party ids, or platform:account_id for platform accounts. A
judgement takes effect at the next 'filo scan'.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			e, links, err := st.Entity(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "Entity %s: %d records\n", e.ID, len(e.Records))
			for _, r := range e.Records {
				fmt.Fprintf(a.stdout, "  %s %s\n", r.Type, r.ID)
			}
			fmt.Fprintln(a.stdout, "\nLinks:")
			for _, l := range links {
				fmt.Fprintf(a.stdout, "  %s %s — %s (%s", l.A.ID, l.B.ID, l.Kind, l.Source)
				if l.Basis != "" {
					fmt.Fprintf(a.stdout, ", %s", l.Basis)
				}
				if l.Kind == filo.LinkSame && l.Prob > 0 {
					fmt.Fprintf(a.stdout, ", match weight %.1f, probability %.4f", l.Weight, l.Prob)
				}
				fmt.Fprintln(a.stdout, ")")
				for _, f := range l.Fields {
					fmt.Fprintf(a.stdout, "      %-11s %+6.2f  %s", f.Field, f.Weight, f.Level)
					if f.A != "" || f.B != "" {
						fmt.Fprintf(a.stdout, "  [%s | %s]", f.A, f.B)
					}
					fmt.Fprintln(a.stdout)
				}
			}
			return nil
		},
	}
	var who, reason string
	judge := func(use, short string, same bool) *cobra.Command {
		c := &cobra.Command{
			Use:   use + " --db DB A B --who NAME",
			Short: short,
			Args:  cobra.ExactArgs(2),
			RunE: func(cmd *cobra.Command, args []string) error {
				if who == "" {
					return filo.Errorf(filo.EINVALID, "--who is required: a judgement is kept with the name of who made it")
				}
				st, err := a.openStore(cmd.Context())
				if err != nil {
					return err
				}
				defer st.Close()
				j := &filo.Judgement{A: recordRef(args[0]), B: recordRef(args[1]), Same: same, Who: who, Reason: reason, When: time.Now()}
				if err := st.AddJudgement(cmd.Context(), j); err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "judgement %d recorded; it takes effect at the next `filo scan`\n", j.ID)
				return nil
			},
		}
		c.Flags().StringVar(&who, "who", "", "who makes the judgement (required)")
		c.Flags().StringVar(&reason, "reason", "", "why")
		return c
	}
	undo := &cobra.Command{
		Use:   "undo --db DB JUDGEMENT_ID --who NAME",
		Short: "Undo a judgement (it stays in the record as undone)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if who == "" {
				return filo.Errorf(filo.EINVALID, "--who is required")
			}
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil {
				return filo.Errorf(filo.EINVALID, "judgement id %q: want a number", args[0])
			}
			st, err := a.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			if err := st.UndoJudgement(cmd.Context(), id, who, time.Now()); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "judgement %d undone; the next `filo scan` follows the model again\n", id)
			return nil
		},
	}
	undo.Flags().StringVar(&who, "who", "", "who undoes it (required)")
	cmd.AddCommand(judge("link", "Say two records are the same person", true), judge("unlink", "Say two records are not the same person", false), undo)
	return cmd
}
