package ereval

import (
	"math"
	"testing"

	"github.com/filoproject/filo"
	"github.com/filoproject/filo/truth"
)

func TestPairwiseCountsPairsWithoutListingThem(t *testing.T) {
	tr := &truth.Truth{PersonOf: map[string]string{}}
	add := func(id, person string) {
		tr.Records = append(tr.Records, truth.Record{Type: "party", ID: id, PersonID: person})
		tr.PersonOf["party/"+id] = person
	}
	// Truth: {a1 a2 a3} one person, {b1 b2} another.
	add("a1", "A")
	add("a2", "A")
	add("a3", "A")
	add("b1", "B")
	add("b2", "B")
	ref := func(id string) filo.RecordRef { return filo.RecordRef{Type: "party", ID: id} }
	// Found: {a1 a2 b1}, {a3}, {b2}: one right pair (a1-a2) of three found;
	// one of four true pairs.
	found := []filo.Entity{{ID: "E1", Records: []filo.RecordRef{ref("a1"), ref("a2"), ref("b1")}}, {ID: "E2", Records: []filo.RecordRef{ref("a3")}}, {ID: "E3", Records: []filo.RecordRef{ref("b2")}}}
	s := Pairwise(found, tr, "party")
	if s.TruePairs != 4 || s.FoundPairs != 3 || s.Correct != 1 {
		t.Fatalf("pairs true %d found %d correct %d, want 4, 3, 1", s.TruePairs, s.FoundPairs, s.Correct)
	}
	if math.Abs(s.Precision-1.0/3) > 1e-9 || math.Abs(s.Recall-0.25) > 1e-9 {
		t.Errorf("precision %.3f recall %.3f, want 0.333 and 0.25", s.Precision, s.Recall)
	}
}
