package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/filoproject/filo"
	"github.com/filoproject/filo/casefolder"
	"github.com/filoproject/filo/deteval"
	"github.com/filoproject/filo/ereval"
	"github.com/filoproject/filo/policy"
	"github.com/filoproject/filo/scan"
	"github.com/filoproject/filo/synth"
	"github.com/filoproject/filo/truth"
)

func init() { registerEval(newEvalWorldsCmd) }

// worldScore is one world's figures.
type worldScore struct {
	Seed     uint64                   `json:"seed"`
	Scale    float64                  `json:"scale"`
	Parties  ereval.Score             `json:"entity_resolution"`
	Accounts ereval.Score             `json:"platform_accounts"`
	Buyers   deteval.Score            `json:"buyers"`
	Rings    deteval.Score            `json:"rings"`
	Traces   deteval.AttributionScore `json:"attribution"`
	// Few is how the buyers with at most fewPayments corridor payments fare.
	Few deteval.FewScore `json:"few_payment_buyers"`
	// Confounders is the share of the top K buyer leads that are family
	// remitters, partner supporters or charity sponsors.
	Confounders float64 `json:"confounders_in_top_k"`
	Seconds     float64 `json:"scan_seconds"`
}

// fewPayments is the most corridor payments a buyer "with few payments"
// makes: too few for the payment indicators alone.
const fewPayments = 3

func newEvalWorldsCmd(a *app) *cobra.Command {
	var (
		seeds   string
		scale   float64
		without string
		format  string
		keep    string
	)
	cmd := &cobra.Command{
		Use:   "worlds [--seeds 1,2,3,4,5] [--scale F] [--without CODES]",
		Short: "Build synthetic worlds, scan them in memory and score everything per seed",
		Long: `worlds is the benchmark behind docs/benchmarks.md: for each seed it builds a
synthetic world (filo synth), reads it (the same validation as ingest), runs
the whole scan in memory (entity resolution, scoring, online traces) and
scores entities, leads and attributions against the world's truth.

--without leaves indicator codes out of the policy, for ablation studies.

  filo eval worlds --seeds 1,2,3,4,5 --scale 1
  filo eval worlds --seeds 1,2,3 --scale 4 --format json
  filo eval worlds --seeds 1,2,3 --without PAYS_SUSPECTED_RING,NETWORK_PROXIMITY`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			pol, err := policy.Default()
			if err != nil {
				return err
			}
			if without != "" {
				pol = pol.Without(strings.Split(without, ",")...)
			}
			tmp := keep
			if tmp == "" {
				if tmp, err = os.MkdirTemp("", "filo-worlds-"); err != nil {
					return err
				}
				defer os.RemoveAll(tmp)
			}
			var all []worldScore
			for _, s := range strings.Split(seeds, ",") {
				seed, err := strconv.ParseUint(strings.TrimSpace(s), 10, 64)
				if err != nil {
					return filo.Errorf(filo.EINVALID, "--seeds %q: want numbers separated by commas", seeds)
				}
				dir := filepath.Join(tmp, fmt.Sprintf("seed%d-scale%g", seed, scale))
				if _, err := synth.Generate(ctx, dir, synth.Config{Seed: seed, Scale: scale, Force: true}); err != nil {
					return err
				}
				c, err := casefolder.Load(ctx, dir)
				if err != nil {
					return err
				}
				tr, err := truth.Read(truth.Dir(dir))
				if err != nil {
					return err
				}
				t0 := time.Now()
				r, _, err := scan.Analyze(ctx, c, scan.Prior{}, scan.Options{Policy: pol, Log: a.log})
				if err != nil {
					return err
				}
				ws := worldScore{Seed: seed, Scale: scale, Seconds: time.Since(t0).Seconds(),
					Parties:  ereval.Pairwise(r.Entities, tr, filo.RecordParty),
					Accounts: ereval.Pairwise(r.Entities, tr, filo.RecordPlatformAccount),
					Buyers:   deteval.Evaluate(r.Leads, tr, filo.RoleBuyer),
					Rings:    deteval.Evaluate(r.Leads, tr, filo.RoleFacilitator),
					Traces:   deteval.Attribution(r.Leads, tr),
					Few:      deteval.FewPayments(r.Leads, tr, c, pol.Parameters.Corridors, fewPayments)}
				conf := ws.Buyers.FalsePositives[truth.RoleFamilyRemitter] + ws.Buyers.FalsePositives[truth.RolePartnerSupporter] + ws.Buyers.FalsePositives[truth.RoleCharitySponsor]
				if ws.Buyers.K > 0 {
					ws.Confounders = float64(conf) / float64(ws.Buyers.K)
				}
				all = append(all, ws)
				if format == "text" {
					fmt.Fprintf(a.stdout, "seed %d scale %g: ER P %.4f R %.4f F1 %.4f | buyers P@K %.3f R %.3f AP %.3f | rings P@K %.3f R %.3f | confounders@K %.1f%% | accounts R %.3f (of detected buyers %.3f) wrong %.3f | few-payment buyers in top K %d/%d | scan %.1fs | FP %v\n",
						seed, scale, ws.Parties.Precision, ws.Parties.Recall, ws.Parties.F1, ws.Buyers.PrecisionAtK, ws.Buyers.Recall, ws.Buyers.AP,
						ws.Rings.PrecisionAtK, ws.Rings.Recall, 100*ws.Confounders, ws.Traces.Recall, ws.Traces.RecallDetected, ws.Traces.WrongShare, ws.Few.FoundAtK, ws.Few.Buyers, ws.Seconds, ws.Buyers.FalsePositives)
				}
				os.RemoveAll(dir)
				os.RemoveAll(truth.Dir(dir))
			}
			if format == "json" {
				enc := json.NewEncoder(a.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(all)
			}
			var b, rg, er, cf, ar, ad, aw, fr float64
			for _, w := range all {
				b += w.Buyers.PrecisionAtK
				rg += w.Rings.PrecisionAtK
				er += w.Parties.F1
				cf += w.Confounders
				ar += w.Traces.Recall
				ad += w.Traces.RecallDetected
				aw += w.Traces.WrongShare
				fr += w.Few.RecallAtK
			}
			n := float64(len(all))
			fmt.Fprintf(a.stdout, "mean over %d worlds: ER F1 %.4f | buyers P@K %.3f | rings P@K %.3f | confounders@K %.1f%% | accounts R %.3f (of detected buyers %.3f) wrong %.3f | few-payment buyers in top K %.3f\n",
				len(all), er/n, b/n, rg/n, 100*cf/n, ar/n, ad/n, aw/n, fr/n)
			return nil
		},
	}
	cmd.Flags().StringVar(&seeds, "seeds", "1,2,3,4,5", "seeds of the worlds, comma-separated")
	cmd.Flags().Float64Var(&scale, "scale", 1, "scale of each world")
	cmd.Flags().StringVar(&without, "without", "", "indicator codes to leave out of the policy, comma-separated")
	cmd.Flags().StringVar(&format, "format", "text", "text or json")
	cmd.Flags().StringVar(&keep, "dir", "", "where to write the worlds (default: a temporary folder, removed afterwards)")
	return cmd
}
