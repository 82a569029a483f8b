package deteval

import (
	"github.com/filoproject/filo"
	"github.com/filoproject/filo/truth"
)

// AttributionScore is how well platform accounts were tied to buyer leads.
type AttributionScore struct {
	BuyerAccounts int     `json:"buyer_accounts"`   // platform accounts of true buyers
	Attributed    int     `json:"attributed_right"` // of those, on a lead of their buyer
	Recall        float64 `json:"recall"`
	All           int     `json:"attributions"` // accounts on buyer leads
	Wrong         int     `json:"wrong"`        // on a lead of another person
	WrongShare    float64 `json:"wrong_share"`
}

// Attribution scores the platform accounts on buyer leads: the share of
// true buyers' accounts that sit on a lead of their buyer, and the share of
// all accounts on leads that belong to someone else.
func Attribution(leads []filo.Lead, t *truth.Truth) AttributionScore {
	var s AttributionScore
	onLeadOf := map[string]string{} // account → person of the lead it sits on
	for _, l := range leads {
		if l.Role != filo.RoleBuyer {
			continue
		}
		person, _ := majority(l, t, filo.RoleBuyer)
		for _, acc := range l.PlatformAccounts {
			s.All++
			if t.PersonOf[truth.Key(filo.RecordPlatformAccount, acc)] != person {
				s.Wrong++
				continue
			}
			onLeadOf[acc] = person
		}
	}
	for _, r := range t.Records {
		if r.Type != filo.RecordPlatformAccount || t.Persons[r.PersonID].Role != truth.RoleBuyer {
			continue
		}
		s.BuyerAccounts++
		if onLeadOf[r.ID] == r.PersonID {
			s.Attributed++
		}
	}
	if s.BuyerAccounts > 0 {
		s.Recall = float64(s.Attributed) / float64(s.BuyerAccounts)
	}
	if s.All > 0 {
		s.WrongShare = float64(s.Wrong) / float64(s.All)
	}
	return s
}
