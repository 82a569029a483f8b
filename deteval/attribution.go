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
	// Of the accounts of true buyers who have a buyer lead at all, the
	// share on it: attribution's own recall, apart from detection's.
	DetectedAccounts int     `json:"detected_buyer_accounts"`
	RecallDetected   float64 `json:"recall_detected"`
	All              int     `json:"attributions"` // accounts on buyer leads
	Wrong            int     `json:"wrong"`        // on a lead of another person
	WrongShare       float64 `json:"wrong_share"`
}

// Attribution scores the platform accounts on buyer leads: the share of
// true buyers' accounts that sit on a lead of their buyer, and the share of
// all accounts on leads that belong to someone else.
func Attribution(leads []filo.Lead, t *truth.Truth) AttributionScore {
	var s AttributionScore
	onLeadOf := map[string]string{} // account → person of the lead it sits on
	hasLead := map[string]bool{}
	for _, l := range leads {
		if l.Role != filo.RoleBuyer {
			continue
		}
		person, _ := majority(l, t, filo.RoleBuyer)
		hasLead[person] = true
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
		if hasLead[r.PersonID] {
			s.DetectedAccounts++
		}
		if onLeadOf[r.ID] == r.PersonID {
			s.Attributed++
		}
	}
	if s.BuyerAccounts > 0 {
		s.Recall = float64(s.Attributed) / float64(s.BuyerAccounts)
	}
	if s.DetectedAccounts > 0 {
		s.RecallDetected = float64(s.Attributed) / float64(s.DetectedAccounts)
	}
	if s.All > 0 {
		s.WrongShare = float64(s.Wrong) / float64(s.All)
	}
	return s
}
