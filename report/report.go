// Package report writes what filo found in the forms analysts and other
// tools read: the contract's CSV, JSON with the evidence, and a plain
// account of one lead to paste into a report.
package report

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/filoproject/filo"
)

// LeadsCSV writes the contract's columns, best lead first.
func LeadsCSV(w io.Writer, leads []filo.Lead) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"rank", "lead_id", "role", "score", "party_ids", "platform_accounts", "reasons"})
	for _, l := range leads {
		codes := make([]string, 0, len(l.Reasons))
		for _, r := range l.Reasons {
			if r.Contribution > 0 {
				codes = append(codes, r.Code)
			}
		}
		cw.Write([]string{strconv.Itoa(l.Rank), l.ID, l.Role, strconv.FormatFloat(l.Score, 'f', 4, 64),
			strings.Join(l.PartyIDs, ";"), strings.Join(l.PlatformAccounts, ";"), strings.Join(codes, ";")})
	}
	cw.Flush()
	return cw.Error()
}

// jsonLead is a lead as JSON, with snake_case names.
type jsonLead struct {
	Rank             int                `json:"rank"`
	ID               string             `json:"lead_id"`
	Role             string             `json:"role"`
	Score            float64            `json:"score"`
	EntityIDs        []string           `json:"entity_ids"`
	PartyIDs         []string           `json:"party_ids"`
	PlatformAccounts []string           `json:"platform_accounts"`
	Labels           []string           `json:"labels,omitempty"`
	Reasons          []filo.Reason      `json:"reasons"`
	Attributions     []filo.Attribution `json:"attributions,omitempty"`
}

// LeadsJSON writes the leads with their reasons and evidence.
func LeadsJSON(w io.Writer, leads []filo.Lead) error {
	out := make([]jsonLead, 0, len(leads))
	for _, l := range leads {
		out = append(out, jsonLead{l.Rank, l.ID, l.Role, l.Score, l.EntityIDs, l.PartyIDs, nonNil(l.PlatformAccounts), l.Labels, l.Reasons, l.Attributions})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

// EntitiesCSV writes one row per input record.
func EntitiesCSV(w io.Writer, entities []filo.Entity) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"entity_id", "record_type", "record_id"})
	for _, e := range entities {
		for _, r := range e.Records {
			cw.Write([]string{e.ID, r.Type, r.ID})
		}
	}
	cw.Flush()
	return cw.Error()
}

// Explain writes a plain account of one lead: what it covers, each
// indicator with its figures, source and rows, and what it is not.
func Explain(w io.Writer, l *filo.Lead) error {
	var b strings.Builder
	role := "possible buyer"
	if l.Role == filo.RoleFacilitator {
		role = "possible facilitator ring"
	}
	fmt.Fprintf(&b, "Lead %s — %s, rank %d, score %.2f\n\n", l.ID, role, l.Rank, l.Score)
	b.WriteString("This is a lead for human review, not a finding. The indicators below are\n")
	b.WriteString("patterns in the records that published guidance associates with the purchase\n")
	b.WriteString("or sale of live-streamed child sexual abuse; each has innocent explanations,\n")
	b.WriteString("and none establishes that anyone did anything.\n\n")
	if l.Role == filo.RoleFacilitator {
		fmt.Fprintf(&b, "Identities covered (%d resolved entities): %s\n", len(l.EntityIDs), strings.Join(l.EntityIDs, ", "))
	} else {
		fmt.Fprintf(&b, "Resolved person: %s\n", strings.Join(l.EntityIDs, ", "))
	}
	fmt.Fprintf(&b, "Source records (party_id): %s\n", strings.Join(l.PartyIDs, ", "))
	if len(l.PlatformAccounts) > 0 {
		fmt.Fprintf(&b, "Platform accounts attributed: %s\n", strings.Join(l.PlatformAccounts, ", "))
	}
	for _, lb := range l.Labels {
		fmt.Fprintf(&b, "Note: %s%s\n", strings.ReplaceAll(lb, "_", " "), labelNotes[lb])
	}
	b.WriteString("\nIndicators, strongest first:\n")
	for i, r := range l.Reasons {
		if r.Contribution <= 0 {
			continue
		}
		fmt.Fprintf(&b, "\n%d. %s (%s) +%.2f\n   Figures: %s.\n   Source: %s.\n", i+1, trimDot(r.Description), r.Code, r.Contribution, r.Detail, r.Source)
		writeEvidence(&b, r.Evidence)
	}
	var against []filo.Reason
	for _, r := range l.Reasons {
		if r.Contribution < 0 {
			against = append(against, r)
		}
	}
	if len(against) > 0 {
		b.WriteString("\nWhat speaks against (counter-indicators):\n")
		for _, r := range against {
			fmt.Fprintf(&b, "- %s (%s) %.2f: %s\n", r.Description, r.Code, r.Contribution, r.Detail)
		}
	}
	if len(l.Attributions) > 0 {
		b.WriteString("\nHow platform accounts were attributed:\n")
		atts := append([]filo.Attribution(nil), l.Attributions...)
		sort.Slice(atts, func(i, j int) bool { return atts[i].PlatformAccount < atts[j].PlatformAccount })
		for _, a := range atts {
			fmt.Fprintf(&b, "- %s → %s by %s, confidence %.2f\n", a.PlatformAccount, a.EntityID, a.Method, a.Confidence)
			writeEvidence(&b, a.Chain)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// labelNotes say what a label asks of the analyst.
var labelNotes = map[string]string{
	"possible_fraud_victim": " (the pattern fits a victim of fraud better than a buyer: review with care)",
	"possible_same_person":  " (the entities this lead covers were kept apart by entity resolution, but their names agree, nothing in their records differs and they pay the same recipients: confirm with `filo entity link`, or not)",
}

func trimDot(s string) string { return strings.TrimSuffix(s, ".") }

func writeEvidence(b *strings.Builder, ev []filo.Evidence) {
	for i, e := range ev {
		if i == 8 {
			fmt.Fprintf(b, "     … and %d more rows (filo leads --format json lists them)\n", len(ev)-8)
			break
		}
		note := ""
		if e.Note != "" {
			note = " — " + e.Note
		}
		fmt.Fprintf(b, "     %s %s at %s:%d%s\n", e.Kind, e.RecordID, e.File, e.Line, note)
	}
}
