package deteval

import (
	"testing"

	"github.com/filoproject/filo"
	"github.com/filoproject/filo/truth"
)

func TestPrecisionAtKCountsEachTruePersonOnce(t *testing.T) {
	tr := &truth.Truth{Persons: map[string]truth.Person{}, PersonOf: map[string]string{}}
	person := func(id, role, ring string, parties ...string) {
		tr.Persons[id] = truth.Person{ID: id, Role: role, RingID: ring}
		for _, p := range parties {
			tr.PersonOf["party/"+p] = id
		}
	}
	person("b1", truth.RoleBuyer, "", "P1", "P2")
	person("b2", truth.RoleBuyer, "", "P3")
	person("f1", truth.RoleFamilyRemitter, "", "P4")
	leads := []filo.Lead{
		{ID: "L1", Role: "buyer", Rank: 1, PartyIDs: []string{"P1"}},
		{ID: "L2", Role: "buyer", Rank: 2, PartyIDs: []string{"P2"}}, // b1 again: a duplicate
		{ID: "L3", Role: "buyer", Rank: 3, PartyIDs: []string{"P4"}},
		{ID: "L4", Role: "buyer", Rank: 4, PartyIDs: []string{"P3"}},
	}
	s := Evaluate(leads, tr, filo.RoleBuyer)
	if s.K != 2 || s.HitsAtK != 1 || s.PrecisionAtK != 0.5 || s.Recall != 1 {
		t.Errorf("K %d hits %d P@K %.2f recall %.2f, want 2, 1, 0.5, 1", s.K, s.HitsAtK, s.PrecisionAtK, s.Recall)
	}
	if s.FalsePositives["duplicate"] != 1 {
		t.Errorf("false positives %v, want one duplicate in the top 2", s.FalsePositives)
	}
	// AP: hits at ranks 1 and 4 → (1/1 + 2/4) / 2.
	if s.AP != 0.75 {
		t.Errorf("AP %.3f, want 0.75", s.AP)
	}
}

func TestAttributionSeparatesMissedLeadsFromMissedAccounts(t *testing.T) {
	tr := &truth.Truth{Persons: map[string]truth.Person{}, PersonOf: map[string]string{}}
	add := func(person, role, typ string, ids ...string) {
		tr.Persons[person] = truth.Person{ID: person, Role: role}
		for _, id := range ids {
			tr.PersonOf[truth.Key(typ, id)] = person
			tr.Records = append(tr.Records, truth.Record{Type: typ, ID: id, PersonID: person})
		}
	}
	add("b1", truth.RoleBuyer, filo.RecordParty, "P1")
	add("b1", truth.RoleBuyer, filo.RecordPlatformAccount, "vm:1", "vm:2")
	add("b2", truth.RoleBuyer, filo.RecordParty, "P2") // never detected
	add("b2", truth.RoleBuyer, filo.RecordPlatformAccount, "vm:3")
	add("o1", truth.RoleOrdinary, filo.RecordPlatformAccount, "vm:9")
	leads := []filo.Lead{{ID: "L1", Role: filo.RoleBuyer, PartyIDs: []string{"P1"}, PlatformAccounts: []string{"vm:1", "vm:9"}}}
	s := Attribution(leads, tr)
	want := AttributionScore{BuyerAccounts: 3, Attributed: 1, Recall: 1.0 / 3, DetectedAccounts: 2, RecallDetected: 0.5, All: 2, Wrong: 1, WrongShare: 0.5}
	if s != want {
		t.Errorf("Attribution = %+v\nwant          %+v", s, want)
	}
}

func TestFewPaymentsCountsCorridorPaymentsOfEachBuyer(t *testing.T) {
	tr := &truth.Truth{Persons: map[string]truth.Person{}, PersonOf: map[string]string{}}
	person := func(id, role string, parties ...string) {
		tr.Persons[id] = truth.Person{ID: id, Role: role}
		for _, p := range parties {
			tr.PersonOf["party/"+p] = id
		}
	}
	person("b1", truth.RoleBuyer, "P1", "P2") // two payments over two records: few
	person("b2", truth.RoleBuyer, "P3")       // three payments, but one is domestic: few
	person("b3", truth.RoleBuyer, "P4")       // four corridor payments: not few
	person("r", truth.RoleFacilitator, "R1", "R2")
	c := &filo.Case{Parties: []filo.Party{{ID: "R1", Country: "PH"}, {ID: "R2", Country: "IT"}}}
	pay := func(from, to, sc string) {
		c.Transactions.Append(filo.Transaction{SenderPartyID: from, ReceiverPartyID: to, SenderCountry: sc})
	}
	pay("P1", "R1", "IT")
	pay("P2", "R1", "IT")
	pay("P3", "R1", "GB")
	pay("P3", "R1", "GB")
	pay("P3", "R2", "GB")
	for range 4 {
		pay("P4", "R1", "US")
	}
	leads := []filo.Lead{
		{Role: filo.RoleBuyer, Rank: 1, PartyIDs: []string{"P4"}},
		{Role: filo.RoleBuyer, Rank: 2, PartyIDs: []string{"P1", "P2"}},
		{Role: filo.RoleBuyer, Rank: 3, PartyIDs: []string{"R2"}},
		{Role: filo.RoleBuyer, Rank: 4, PartyIDs: []string{"P3"}}, // below K = 3
	}
	got := FewPayments(leads, tr, c, []string{"PH"}, 2)
	want := FewScore{MaxPayments: 2, Buyers: 2, FoundAtK: 1, RecallAtK: 0.5}
	if got != want {
		t.Errorf("FewPayments = %+v, want %+v", got, want)
	}
}
