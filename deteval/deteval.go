// Package deteval scores ranked leads against a synthetic world's ground
// truth, per person (never per transaction: the heavy tail would hide the
// buyers with two payments).
package deteval

import (
	"cmp"
	"sort"

	"github.com/filoproject/filo"
	"github.com/filoproject/filo/truth"
)

// Score is how one role's leads compare with the truth.
type Score struct {
	Role string `json:"role"`
	// K is the number of true buyers (or rings); precision is read at K.
	K            int     `json:"k"`
	Leads        int     `json:"leads"`
	HitsAtK      int     `json:"hits_at_k"`
	PrecisionAtK float64 `json:"precision_at_k"`
	Recall       float64 `json:"recall"`
	AP           float64 `json:"average_precision"`
	// FalsePositives counts the top-K leads that are no true buyer (ring)
	// by the truth role of the person (ring) they mostly cover.
	FalsePositives map[string]int `json:"false_positives_at_k"`
}

// Evaluate scores the leads of one role (filo.RoleBuyer or
// filo.RoleFacilitator), which must come ranked.
func Evaluate(leads []filo.Lead, t *truth.Truth, role string) Score {
	s := Score{Role: role, FalsePositives: map[string]int{}}
	var ls []filo.Lead
	for _, l := range leads {
		if l.Role == role {
			ls = append(ls, l)
		}
	}
	sort.SliceStable(ls, func(i, j int) bool { return ls[i].Rank < ls[j].Rank })
	s.Leads = len(ls)
	targets := map[string]bool{}
	for _, p := range t.Persons {
		switch {
		case role == filo.RoleBuyer && p.Role == truth.RoleBuyer:
			targets[p.ID] = true
		case role == filo.RoleFacilitator && p.RingID != "":
			targets[p.RingID] = true
		}
	}
	s.K = len(targets)
	hit := map[string]bool{}
	sumPrec := 0.0
	for i, l := range ls {
		target, label := majority(l, t, role)
		ok := targets[target] && !hit[target]
		if ok {
			hit[target] = true
			sumPrec += float64(len(hit)) / float64(i+1)
		}
		if i < s.K {
			if ok {
				s.HitsAtK++
			} else {
				s.FalsePositives[label]++
			}
		}
	}
	if s.K > 0 {
		s.PrecisionAtK = float64(s.HitsAtK) / float64(s.K)
		s.Recall = float64(len(hit)) / float64(s.K)
		s.AP = sumPrec / float64(s.K)
	}
	return s
}

// majority returns the true person (or ring) most of a lead's party
// records belong to, and a label for a miss: the truth role of that person,
// "duplicate" for a second lead on the same target.
func majority(l filo.Lead, t *truth.Truth, role string) (string, string) {
	count := map[string]int{}
	roleOf := map[string]string{}
	for _, pid := range l.PartyIDs {
		person, ok := t.PersonOf[truth.Key(filo.RecordParty, pid)]
		if !ok {
			continue
		}
		p := t.Persons[person]
		key := person
		if role == filo.RoleFacilitator {
			key = p.RingID
			if key == "" {
				key = "person:" + person
			}
		}
		count[key]++
		roleOf[key] = p.Role
	}
	best, n := "", 0
	for k, c := range count {
		if c > n || c == n && k < best {
			best, n = k, c
		}
	}
	label := roleOf[best]
	if label == "" {
		label = "unknown"
	}
	if role == filo.RoleBuyer && label == truth.RoleBuyer || role == filo.RoleFacilitator && len(best) > 0 && best[:min(7, len(best))] != "person:" {
		label = "duplicate"
	}
	return best, label
}

// FewScore is how buyers with few payments fare: the ones a lead on
// transfers alone can hardly tell from a one-off remittance, and where the
// online traces must help.
type FewScore struct {
	MaxPayments int     `json:"max_payments"`
	Buyers      int     `json:"buyers"`     // true buyers with at most MaxPayments corridor payments
	FoundAtK    int     `json:"found_at_k"` // of those, covered by a buyer lead in the top K
	RecallAtK   float64 `json:"recall_at_k"`
}

// FewPayments scores the true buyers who made at most maxPayments payments
// into the corridors (to another country) over all their records: the share
// of them a buyer lead in the top K covers, K being the number of all true
// buyers as in Evaluate.
func FewPayments(leads []filo.Lead, t *truth.Truth, c *filo.Case, corridors []string, maxPayments int) FewScore {
	s := FewScore{MaxPayments: maxPayments}
	risk := map[string]bool{}
	for _, cc := range corridors {
		risk[cc] = true
	}
	country := make(map[string]string, len(c.Parties))
	for _, p := range c.Parties {
		country[p.ID] = p.Country
	}
	paid := map[string]int{}
	for _, tx := range c.Transactions.All() {
		person := t.PersonOf[truth.Key(filo.RecordParty, tx.SenderPartyID)]
		if t.Persons[person].Role != truth.RoleBuyer {
			continue
		}
		sc, rc := cmp.Or(tx.SenderCountry, country[tx.SenderPartyID]), cmp.Or(tx.ReceiverCountry, country[tx.ReceiverPartyID])
		if risk[rc] && rc != sc {
			paid[person]++
		}
	}
	few := map[string]bool{}
	k := 0
	for id, p := range t.Persons {
		if p.Role != truth.RoleBuyer {
			continue
		}
		k++
		if n := paid[id]; n > 0 && n <= maxPayments {
			few[id] = true
		}
	}
	s.Buyers = len(few)
	var ls []filo.Lead
	for _, l := range leads {
		if l.Role == filo.RoleBuyer {
			ls = append(ls, l)
		}
	}
	sort.SliceStable(ls, func(i, j int) bool { return ls[i].Rank < ls[j].Rank })
	found := map[string]bool{}
	for i := 0; i < len(ls) && i < k; i++ {
		if person, _ := majority(ls[i], t, filo.RoleBuyer); few[person] {
			found[person] = true
		}
	}
	s.FoundAtK = len(found)
	if s.Buyers > 0 {
		s.RecallAtK = float64(s.FoundAtK) / float64(s.Buyers)
	}
	return s
}
